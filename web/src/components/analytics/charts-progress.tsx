'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RouterOutputs } from '@/server/api/root';
import { formatMs } from '../sessions/labels';
import { ChartCard, DataTable, legendText } from './chart-card';
import { colorOf, csvHref, type TRange, weekLabel } from './series';

type TDashboard = RouterOutputs['analytics']['dashboard'];

/** More bars than this stop being readable; the table and the CSV always have them all. */
const FIRST_TO_BEST_BARS = 12;
const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** First scored try against the best, per trainee and scenario: what practice earned. */
export function FirstToBestChart({ rows, range }: { rows: TDashboard['firstToBest']; range: TRange }) {
  const data = rows.slice(0, FIRST_TO_BEST_BARS).map((r) => ({ label: `${r.traineeName} · ${r.scenarioTitle}`, first: r.firstScore, best: r.bestScore }));
  return (
    <ChartCard
      id="first-to-best"
      title="First-to-best improvement"
      description={`Overall score (0–100) of each trainee’s first scored try at a scenario and of their best, biggest gains first${rows.length > FIRST_TO_BEST_BARS ? ` (top ${FIRST_TO_BEST_BARS} drawn)` : ''}.`}
      csvHref={csvHref('first-to-best', range)}
      isEmpty={rows.length === 0}
      emptyText="No role-play was scored in this period."
      chart={
        <ResponsiveContainer>
          <BarChart data={data} layout="vertical" margin={{ left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 100]} />
            <YAxis type="category" dataKey="label" width={180} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend formatter={legendText} />
            <Bar dataKey="first" name="First try" fill={colorOf(1)} isAnimationActive={false} />
            <Bar dataKey="best" name="Best" fill={colorOf(0)} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="First and best overall score per trainee and scenario"
          rows={rows}
          rowKey={(r) => `${r.traineeId}-${r.scenarioId}`}
          columns={[
            { header: 'Trainee', cell: (r) => r.traineeName },
            { header: 'Scenario', cell: (r) => r.scenarioTitle },
            { header: 'Scored tries', cell: (r) => r.attempts },
            { header: 'First', cell: (r) => r.firstScore },
            { header: 'Best', cell: (r) => r.bestScore },
            { header: 'Gain', cell: (r) => (r.improvement > 0 ? `+${r.improvement}` : r.improvement) },
            { header: 'First try', cell: (r) => dateFormat.format(r.firstAt) },
          ]}
        />
      }
    />
  );
}

/** How quickly the agent answered, week by week: the typical reply and the slow ones. */
export function LatencyChart({ rows, range }: { rows: TDashboard['latencyPerWeek']; range: TRange }) {
  return (
    <ChartCard
      id="latency"
      title="Voice latency over time"
      description="From the end of the trainee’s speech to the agent’s first audio, as the agent measured it."
      csvHref={csvHref('latency', range)}
      isEmpty={rows.length === 0}
      emptyText="No agent replies were measured in this period."
      chart={
        <ResponsiveContainer>
          <LineChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="week" tickFormatter={weekLabel} />
            <YAxis tickFormatter={(ms: number) => formatMs(ms)} width={64} />
            <Tooltip labelFormatter={(w) => `Week of ${weekLabel(String(w))}`} formatter={(ms) => formatMs(Number(ms))} />
            <Legend formatter={legendText} />
            <Line dataKey="voiceToVoiceP50" name="Typical (p50)" stroke={colorOf(0)} strokeWidth={2} isAnimationActive={false} />
            <Line dataKey="voiceToVoiceP95" name="Slowest 5 % (p95)" stroke={colorOf(5)} strokeWidth={2} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Voice-to-voice latency per week"
          rows={rows}
          rowKey={(r) => r.week}
          columns={[
            { header: 'Week of', cell: (r) => r.week },
            { header: 'Replies', cell: (r) => r.replies },
            { header: 'p50', cell: (r) => formatMs(r.voiceToVoiceP50) },
            { header: 'p95', cell: (r) => formatMs(r.voiceToVoiceP95) },
          ]}
        />
      }
    />
  );
}
