import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RouterOutputs } from '@/server/api/root';
import { ScorecardView, type TScorecard } from './scorecard-view';
import { TranscriptView } from './transcript-view';

const roleplayCard: TScorecard = {
  status: 'complete',
  mode: 'roleplay',
  overallScore: 42,
  tier: 'needs_work',
  autoFailed: true,
  summary: 'Good greeting; payment quoted without APR.',
  items: [
    { id: 'i1', step: 'greeting', score: 9, maxScore: 10, evidenceQuote: 'Welcome in', turnSequence: 2, rationale: 'Warm.' },
    { id: 'i2', step: 'menu_presentation', score: 0, maxScore: 20, evidenceQuote: null, turnSequence: null, rationale: 'No menu.' },
  ],
  flags: [
    {
      id: 'f1',
      rule: 'payment_without_apr_term',
      severity: 'auto_fail',
      evidenceQuote: 'only 450 a month',
      turnSequence: 4,
      detectedBy: 'rule',
      explanation: 'Quote APR and term with a payment.',
    },
  ],
};

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('ScorecardView', () => {
  it('shows the score, tier, auto-fail banner, each step and the flag with its quote, linked to the transcript', () => {
    const html = renderToStaticMarkup(createElement(ScorecardView, { card: roleplayCard, turnHref: (n: number) => `#turn-${n}` }));
    const shown = text(html);
    expect(shown).toContain('42 / 100');
    expect(shown).toContain('Needs work');
    expect(shown).toContain('Automatic fail.');
    expect(shown).toMatch(/Greeting 9 \/ 10 “Welcome in” \( turn 2 \) Warm\./);
    expect(shown).toMatch(/Menu presentation 0 \/ 20 No evidence of this step/);
    expect(shown).toMatch(/Auto-fail Payment without APR term \( turn 4 \) “only 450 a month” Quote APR and term/);
    expect(html).toContain('href="#turn-4"');
  });

  it('shows no banner when nothing auto-failed, and only the summary for a coach session', () => {
    expect(text(renderToStaticMarkup(createElement(ScorecardView, { card: { ...roleplayCard, autoFailed: false, flags: [] } })))).not.toContain(
      'Automatic fail',
    );
    const coach = text(
      renderToStaticMarkup(
        createElement(ScorecardView, {
          card: { ...roleplayCard, mode: 'coach', overallScore: null, tier: null, autoFailed: false, items: [], flags: [], summary: 'Asked about GAP.' },
        }),
      ),
    );
    expect(coach.trim()).toBe('Asked about GAP.');
    expect(coach).not.toContain('/ 100');
  });
});

describe('TranscriptView', () => {
  it('marks interrupted turns, lists sources and shows the reply latency', () => {
    const transcript: RouterOutputs['history']['transcript'] = {
      session: {
        id: 's1',
        mode: 'coach',
        status: 'ended',
        scenarioTitle: 'Ask Adam',
        personaName: 'Adam',
        traineeName: 'Tom Trainee',
        createdAt: new Date(),
        endedAt: new Date(),
      },
      turns: [
        { id: 't1', sequence: 1, speaker: 'trainee', text: 'What does GAP cover?', interrupted: false, citations: [], startedAt: new Date(), endedAt: null, latency: null },
        {
          id: 't2',
          sequence: 2,
          speaker: 'agent',
          text: 'GAP covers the difference',
          interrupted: true,
          citations: [{ documentId: 'd1', chunkId: 'c1', title: 'Products', heading: 'GAP' }],
          startedAt: new Date(),
          endedAt: null,
          latency: { endOfUtteranceDelayMs: 300, transcriptionDelayMs: null, llmTtftMs: 480, ttsTtfbMs: 150, voiceToVoiceMs: 1040 },
        },
      ],
    };
    const html = renderToStaticMarkup(createElement(TranscriptView, { transcript }));
    const shown = text(html);
    expect(shown).toContain('1 Tom Trainee What does GAP cover?');
    expect(shown).toContain('2 Adam interrupted GAP covers the difference');
    expect(shown).toContain('Sources Products › GAP');
    expect(shown).toContain('Reply started after 1.04 s (end of speech 300 ms, first token 480 ms, first audio 150 ms)');
    expect(html).toContain('id="turn-2"');
  });
});
