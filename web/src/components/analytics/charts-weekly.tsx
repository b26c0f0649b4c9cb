'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RouterOutputs } from '@/server/api/root';
import { labelOf } from '../sessions/labels';
import { ChartCard, DataTable, legendText } from './chart-card';
import { colorOf, csvHref, pivotByWeek, type TRange, weekLabel } from './series';

type TDashboard = RouterOutputs['analytics']['dashboard'];

const severityLabel = (severity: 'warning' | 'auto_fail') => (severity === 'auto_fail' ? 'auto-fail' : 'warning');

/** Sessions per trainee and week, stacked: who practises, and how steadily. */
export function SessionsChart({ rows, range }: { rows: TDashboard['sessionsPerWeek']; range: TRange }) {
  const names = new Map(rows.map((r) => [r.traineeId, r.traineeName]));
  const { data, keys } = pivotByWeek(rows, (r) => r.traineeId, (r) => r.sessions, 0);
  return (
    <ChartCard
      id="sessions"
      title="Sessions per trainee and week"
      description="Every practice session started, by the week it began (weeks start on Monday)."
      csvHref={csvHref('sessions', range)}
      isEmpty={rows.length === 0}
      emptyText="Nobody practised in this period."
      chart={
        <ResponsiveContainer>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="week" tickFormatter={weekLabel} />
            <YAxis allowDecimals={false} width={32} />
            <Tooltip labelFormatter={(w) => `Week of ${weekLabel(String(w))}`} />
            <Legend formatter={legendText} />
            {keys.map((id, i) => (
              <Bar key={id} dataKey={id} name={names.get(id) ?? id} stackId="sessions" fill={colorOf(i)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Sessions per trainee and week"
          rows={rows}
          rowKey={(r) => `${r.week}-${r.traineeId}`}
          columns={[
            { header: 'Week of', cell: (r) => r.week },
            { header: 'Trainee', cell: (r) => r.traineeName },
            { header: 'Sessions', cell: (r) => r.sessions },
            { header: 'Completed', cell: (r) => r.completed },
          ]}
        />
      }
    />
  );
}

/** The average score of each F&I step per week: which parts of the process improve, which lag. */
export function StepScoresChart({ rows, range }: { rows: TDashboard['stepScoresPerWeek']; range: TRange }) {
  const { data, keys } = pivotByWeek(rows, (r) => r.step, (r) => r.averageScore, null);
  return (
    <ChartCard
      id="step-scores"
      title="Score trend per F&I step"
      description="Average step score (0–10) of the week’s scored role-plays."
      csvHref={csvHref('step-scores', range)}
      isEmpty={rows.length === 0}
      emptyText="No role-play was scored in this period."
      chart={
        <ResponsiveContainer>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="week" tickFormatter={weekLabel} />
            <YAxis domain={[0, 10]} width={32} />
            <Tooltip labelFormatter={(w) => `Week of ${weekLabel(String(w))}`} />
            <Legend formatter={legendText} />
            {keys.map((step, i) => (
              <Line key={step} dataKey={step} name={labelOf(step)} stroke={colorOf(i)} strokeWidth={2} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Average score per F&I step and week"
          rows={rows}
          rowKey={(r) => `${r.week}-${r.step}`}
          columns={[
            { header: 'Week of', cell: (r) => r.week },
            { header: 'Step', cell: (r) => labelOf(r.step) },
            { header: 'Average (0–10)', cell: (r) => r.averageScore.toFixed(1) },
            { header: 'Scored sessions', cell: (r) => r.scoredSessions },
          ]}
        />
      }
    />
  );
}

/** Compliance flags per week, stacked by rule and severity. */
export function ComplianceChart({ rows, range }: { rows: TDashboard['complianceFlagsPerWeek']; range: TRange }) {
  const keyOf = (r: (typeof rows)[number]) => `${labelOf(r.rule)} (${severityLabel(r.severity)})`;
  const { data, keys } = pivotByWeek(rows, keyOf, (r) => r.flags, 0);
  return (
    <ChartCard
      id="compliance"
      title="Compliance flags over time"
      description="Flags raised by the scorer each week; auto-fails cap a session at “needs work”."
      csvHref={csvHref('compliance', range)}
      isEmpty={rows.length === 0}
      emptyText="No compliance flags in this period."
      chart={
        <ResponsiveContainer>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="week" tickFormatter={weekLabel} />
            <YAxis allowDecimals={false} width={32} />
            <Tooltip labelFormatter={(w) => `Week of ${weekLabel(String(w))}`} />
            <Legend formatter={legendText} />
            {keys.map((key, i) => (
              <Bar key={key} dataKey={key} stackId="flags" fill={colorOf(i)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Compliance flags per week by rule and severity"
          rows={rows}
          rowKey={(r) => `${r.week}-${r.rule}-${r.severity}`}
          columns={[
            { header: 'Week of', cell: (r) => r.week },
            { header: 'Rule', cell: (r) => labelOf(r.rule) },
            { header: 'Severity', cell: (r) => severityLabel(r.severity) },
            { header: 'Flags', cell: (r) => r.flags },
            { header: 'Sessions flagged', cell: (r) => r.sessions },
          ]}
        />
      }
    />
  );
}
