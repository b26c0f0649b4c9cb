// The printed report of `npm run bench:voice`, from the conversations' results (pure).
import { keyFigures, seriesCpuPerMinute } from './compare';
import type { TConversationResult } from './conversation';
import {
  BARGE_IN_AFTER_MS,
  type TReplyRow,
  type TVoiceRow,
  RESUME_WITHIN_MS,
  STOP_GAP_MS,
  TARGETS,
  cpuPerMinute,
  fmt,
  metricRow,
  vNote,
  vSection,
  valueRow,
} from './report';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const cpu = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} CPU-s/min` : '—');
const mb = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} MB` : '—');

export const OVERHEAD_DEFINITION =
  'pipeline overhead = agent-reported voice-to-voice − (transcription delay + LLM TTFT + TTS TTFB), per reply. ' +
  'It holds (1) the endpointing wait: the turn is decided once the endpointing delay has passed since the end of speech, ' +
  'shown as end-of-utterance delay − transcription delay; and (2) what comes after the turn decision ' +
  '(voice-to-voice − end-of-utterance delay − TTFT − TTFB): mostly the LLM writing the rest of its first sentence, ' +
  'since TTS TTFB starts when the sentence tokenizer hands the TTS its first sentence, not at the first token'
  + ', plus hand-offs between the stages';

export function summaryRows(results: readonly TConversationResult[]): TVoiceRow[] {
  const key = keyFigures(results);
  const replies = results.flatMap((r) => r.replies);
  const client = replies.filter((r) => finite(r.clientV2vMs));
  const stored = replies.filter((r) => r.stored);
  const pick = (rows: readonly TReplyRow[], f: (r: TReplyRow) => number | null | undefined) => rows.map(f).filter(finite);
  const bargeIns = results.flatMap((r) => r.bargeIns);
  const falses = results.flatMap((r) => r.falseBargeIns);
  const wallMs = sum(results.map((r) => r.wallMs));
  const perMin = (pickCpu: (r: TConversationResult) => number | undefined) => seriesCpuPerMinute(results, pickCpu);
  // The session job tree per kind of process, over all conversations.
  const kinds = new Map<string, { cpuSeconds: number; peakRssMb: number; count: number }>();
  for (const p of results.flatMap((r) => r.jobProcesses)) {
    const k = kinds.get(p.label) ?? { cpuSeconds: 0, peakRssMb: Number.NaN, count: 0 };
    k.cpuSeconds += p.cpuSeconds;
    if (finite(p.peakRssMb)) k.peakRssMb = Number.isNaN(k.peakRssMb) ? p.peakRssMb : Math.max(k.peakRssMb, p.peakRssMb);
    k.count++;
    kinds.set(p.label, k);
  }
  const rest = perMin((r) => (finite(r.cpu.sessionJob) ? r.cpu.agentWorker - r.cpu.sessionJob : undefined));

  const outcomes = new Map<string, number>();
  for (const f of falses) outcomes.set(f.result?.outcome ?? 'not analysed', (outcomes.get(f.result?.outcome ?? 'not analysed') ?? 0) + 1);
  const countOf = <T>(items: readonly T[], ok: (t: T) => boolean) => `${items.filter(ok).length} of ${items.length}`;

  return [
    vSection(`Voice-to-voice — ${client.length} replies in ${results.length} conversation${results.length === 1 ? '' : 's'}`),
    metricRow('client: end of trainee speech → first audible reply frame', key.clientV2vMs, fmt.ms, TARGETS.voiceToVoice),
    metricRow('agent-reported, every generated reply (turn_metrics)', key.agentV2vMs, fmt.ms),
    metricRow(
      'client − agent-reported',
      pick(client, (r) => (r.stored && finite(r.stored.voiceToVoiceMs) ? r.clientV2vMs! - r.stored.voiceToVoiceMs : undefined)),
      fmt.ms,
    ),
    metricRow('  of it: agent started speaking → first audible frame at the client', pick(client, (r) => (r.stored ? r.firstAudibleAt! - r.stored.startedAt : undefined)), fmt.ms),
    metricRow(
      '  of it: last trainee sample sent → end of speech as the agent dates it',
      pick(client, (r) =>
        r.stored && finite(r.stored.voiceToVoiceMs) ? r.clientV2vMs! - r.stored.voiceToVoiceMs - (r.firstAudibleAt! - r.stored.startedAt) : undefined,
      ),
      fmt.ms,
    ),
    vSection('Agent stages per reply (turn_metrics)'),
    metricRow('end-of-utterance delay', pick(stored, (r) => r.stored!.endOfUtteranceDelayMs), fmt.ms),
    metricRow('transcription delay', key.transcriptionDelayMs, fmt.ms),
    metricRow('LLM time to first token', key.llmTtftMs, fmt.ms),
    metricRow('TTS time to first byte', key.ttsTtfbMs, fmt.ms),
    metricRow('stages: transcription + TTFT + TTFB', pick(stored, (r) => r.breakdown.stagesMs), fmt.ms),
    metricRow('pipeline overhead: voice-to-voice − stages', pick(stored, (r) => r.breakdown.overheadMs), fmt.ms, TARGETS.overhead),
    metricRow('  of it: endpointing wait (EOU − transcription)', pick(stored, (r) => r.breakdown.endpointingWaitMs), fmt.ms),
    metricRow('  after the turn decision (v2v − EOU − TTFT − TTFB)', pick(stored, (r) => r.breakdown.residualMs), fmt.ms),
    metricRow('voice-to-voice ÷ stages (baseline ratio)', pick(stored, (r) => r.breakdown.ratio), fmt.ratio),
    vSection(`Barge-in — trainee speaks over a reply, ≥ ${fmtS(BARGE_IN_AFTER_MS)} into it`),
    metricRow(`reaction: first trainee sample → last audible agent frame (stop = ${STOP_GAP_MS} ms quiet)`, key.bargeInStopMs, fmt.ms, TARGETS.bargeIn),
    metricRow('agent state → listening, from first trainee sample', bargeIns.map((b) => b.listeningAfterMs), fmt.ms),
    valueRow('barge-ins measured / reply stored as interrupted', `${countOf(bargeIns, (b) => finite(b.reactionMs))} / ${countOf(bargeIns, (b) => b.storedInterrupted === true)}`),
    valueRow('blips (1–3 audible frames) after the stop, before the next reply', countOf(bargeIns, (b) => (b.blipsAfterStop?.length ?? 0) > 0)),
    vSection('False barge-in — a short non-word sound during a reply'),
    valueRow(
      `handled (kept playing, or resumed within ${fmtS(RESUME_WITHIN_MS)})`,
      countOf(falses, (f) => f.result?.ok === true),
      { n: String(falses.length) },
    ),
    vNote(`outcomes: ${[...outcomes].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none placed'}`),
    metricRow('pause heard before it resumed', key.falseBargeInPauseMs, fmt.ms),
    valueRow('sound stored as a trainee turn (transcribed as words)', countOf(falses, (f) => f.heardAs !== undefined)),
    valueRow("next trainee turn stored with the sound's start time", countOf(falses, (f) => f.nextTurnDatedAtSound === true)),
    valueRow('reply stored as interrupted', countOf(falses, (f) => f.storedInterrupted === true)),
    vSection(`CPU and memory — ${(wallMs / 60_000).toFixed(1)} conversation minutes (session.start → end of the last reply)`),
    valueRow('agent worker process group (supervisor + job processes)', cpu(key.agentWorkerCpuPerMin)),
    valueRow("  the session's job process and the processes it started", cpu(key.sessionJobCpuPerMin)),
    ...[...kinds].map(([label, k]) =>
      valueRow(`    ${label}`, `${cpu(cpuPerMinute(k.cpuSeconds, wallMs))}, peak RSS ${mb(k.peakRssMb)}`, { n: String(k.count) }),
    ),
    valueRow('  the rest: supervisor, the next job process warming up', cpu(rest)),
    valueRow('livekit-server', cpu(perMin((r) => r.cpu.livekitServer))),
    valueRow('bench client (this process: WebRTC participant)', cpu(perMin((r) => r.cpu.benchClient))),
  ];
}

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** One line per conversation: scenario, what happened at the barge-ins, notes. */
export function conversationLines(results: readonly TConversationResult[]): string[] {
  return results.flatMap((r) => {
    const b = r.bargeIns[0];
    const f = r.falseBargeIns[0];
    const barge = b
      ? `barge-in on turn ${b.turn}: ${finite(b.reactionMs) ? `stopped after ${fmt.ms(b.reactionMs)}` : 'no stop measured'}` +
        `, stored interrupted: ${b.storedInterrupted ?? 'no turn matched'}` +
        (b.blipsAfterStop?.length && b.stop?.stoppedAt !== undefined
          ? `, blip${b.blipsAfterStop.length > 1 ? 's' : ''} ${b.blipsAfterStop.map((t) => fmt.ms(t - b.stop!.stoppedAt!)).join(', ')} after the stop`
          : '')
      : 'barge-in not placed';
    const sound = f
      ? `false barge-in on turn ${f.turn}: ${f.result?.outcome ?? '?'}${finite(f.result?.pauseMs) ? ` (pause ${fmt.ms(f.result.pauseMs)})` : ''}` +
        `, stored interrupted: ${f.storedInterrupted ?? 'no turn matched'}${f.heardAs ? `, transcribed as "${f.heardAs}"` : ''}` +
        (f.nextTurnDatedAtSound ? ', the next trainee turn was stored as starting at the sound' : '')
      : 'false barge-in not placed';
    return [
      `  ${r.index + 1}. "${r.scenario.title}" (endpointing min ${r.scenario.minEndpointingDelayMs} ms) — session ${r.sessionStatus}, ` +
        `${r.replies.filter((x) => x.kind).length} replies heard, ${(r.wallMs / 1000).toFixed(0)} s, job pid ${r.jobPid ?? '?'}`,
      `     ${barge}; ${sound}`,
      ...r.notes.map((n) => `     note: ${n}`),
    ];
  });
}

/** The raw per-reply rows (`--verbose`). */
export function replyLines(results: readonly TConversationResult[]): string[] {
  const head = ['conv', 'turn', 'reply', 'client', 'agent', 'EOU', 'STT', 'TTFT', 'TTFB', 'overhead', 'after-EOU', 'intr', 'text'];
  const rows = results.flatMap((r) =>
    r.replies.map((x) => {
      const s = x.stored;
      const n = (v: number | null | undefined) => (finite(v) ? String(Math.round(v)) : '—');
      return [
        String(r.index + 1),
        x.turn === undefined ? '—' : String(x.turn),
        x.kind ? `${x.kind}${x.event ? ` (${x.event})` : ''}` : 'not awaited',
        n(x.clientV2vMs),
        n(s?.voiceToVoiceMs),
        s?.interrupted ? '×' : `${n(s?.endOfUtteranceDelayMs)}${s?.userTimingsMoved ? '*' : ''}`,
        s?.interrupted ? '×' : `${n(s?.transcriptionDelayMs)}${s?.userTimingsMoved ? '*' : ''}`,
        n(s?.llmTtftMs),
        n(s?.ttsTtfbMs),
        n(x.breakdown.overheadMs),
        n(x.breakdown.residualMs),
        s ? (s.interrupted ? 'yes' : 'no') : '—',
        s ? JSON.stringify(s.text.length > 48 ? `${s.text.slice(0, 47)}…` : s.text) : '(no stored turn matched)',
      ];
    }),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [
    "raw replies (ms; client = trainee's side, the rest from turn_metrics; × = stored with the values of the trainee turn that cut the reply off, " +
      '* = those values, moved to the reply that answered that turn):',
    line(head),
    ...rows.map(line),
  ];
}
