import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freeTcpPort, type ManagedProcess, startProcess } from '../../scripts/lib/processes';

const SIPP = process.env.AVATAR_ADAM_TEST_SIPP ?? '/usr/bin/sipp';

/**
 * sipp's user-agent-client scenario: INVITE offering PCMU and telephone-event, ACK the answer,
 * play the caller's audio (voice + keypad), stay on the line, hang up with BYE.
 */
function scenarioXml(opts: { pcapFile: string; holdMs: number; callerId: string; hangUp: 'caller' | 'agent'; answerTimeoutMs: number }): string {
  const from = `"Trainee" <sip:${opts.callerId}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="practice call">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: sip:${opts.callerId}@[local_ip]:[local_port]
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=trainee 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20
a=sendrecv
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" timeout="${opts.answerTimeoutMs}"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: sip:${opts.callerId}@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <nop><action><exec play_pcap_audio="${opts.pcapFile}"/></action></nop>
${opts.hangUp === 'caller' ? callerHangsUp(from, opts) : agentHangsUp(opts.holdMs)}</scenario>
`;
}

function callerHangsUp(from: string, opts: { holdMs: number; callerId: string }): string {
  return `  <pause milliseconds="${opts.holdMs}"/>
  <send retrans="500"><![CDATA[
BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: sip:${opts.callerId}@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>
`;
}

/** The other side ends the call: wait for its BYE (at most `holdMs`) and confirm it. */
function agentHangsUp(holdMs: number): string {
  return `  <recv request="BYE" timeout="${holdMs}"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Length: 0
]]></send>
`;
}

/**
 * Places one call with sipp to `number` at the SIP bridge on 127.0.0.1:`sipPort`, playing
 * `pcapFile` from the moment the call is answered. The process exits 0 when every step of the
 * call succeeded.
 */
export async function placeSippCall(opts: {
  dir: string;
  sipPort: number;
  number: string;
  callerId: string;
  pcapFile: string;
  holdMs: number;
  /** Who ends the call: the caller after `holdMs` (default), or the agent within `holdMs`. */
  hangUp?: 'caller' | 'agent';
  /** How long to wait for the call to be answered before giving up (sipp then exits non-zero); default 90 s. */
  answerTimeoutMs?: number;
}): Promise<ManagedProcess> {
  const scenario = path.join(opts.dir, `caller-${Date.now()}.xml`);
  writeFileSync(scenario, scenarioXml({ ...opts, hangUp: opts.hangUp ?? 'caller', answerTimeoutMs: opts.answerTimeoutMs ?? 60_000 }));
  const [localPort, mediaPort] = [await freeTcpPort(), await freeTcpPort()];
  return startProcess({
    name: 'sipp',
    command: SIPP,
    args: [
      `127.0.0.1:${opts.sipPort}`,
      '-sf', scenario,
      '-s', opts.number,
      '-i', '127.0.0.1',
      '-p', String(localPort),
      '-mi', '127.0.0.1',
      '-mp', String(mediaPort),
      '-m', '1',
      '-nostdin',
      // The whole call's limit (a ringing that never ends resets per-message timeouts).
      '-timeout', `${Math.ceil((opts.holdMs + (opts.answerTimeoutMs ?? 90_000)) / 1000) + 5}s`,
      '-timeout_error',
      '-trace_err',
      '-trace_msg',
    ],
    cwd: opts.dir,
    logFile: path.join(opts.dir, 'sipp.log'),
  });
}
