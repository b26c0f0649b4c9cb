import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freeTcpPort, type ManagedProcess, startProcess } from '../../scripts/lib/processes';

const SIPP = process.env.AVATAR_ADAM_TEST_SIPP ?? '/usr/bin/sipp';

/**
 * sipp's user-agent-client scenario: INVITE offering PCMU and telephone-event, ACK the answer,
 * play the caller's audio (voice + keypad), stay on the line, hang up with BYE.
 */
function scenarioXml(opts: { pcapFile: string; holdMs: number; callerId: string }): string {
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
  <recv response="200" rtd="true"/>
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
  <pause milliseconds="${opts.holdMs}"/>
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
</scenario>
`;
}

/**
 * Places one call with sipp to `number` at the SIP bridge on 127.0.0.1:`sipPort`, playing
 * `pcapFile` from the moment the call is answered and hanging up `holdMs` later. The process
 * exits 0 when every step of the call succeeded.
 */
export async function placeSippCall(opts: {
  dir: string;
  sipPort: number;
  number: string;
  callerId: string;
  pcapFile: string;
  holdMs: number;
}): Promise<ManagedProcess> {
  const scenario = path.join(opts.dir, 'caller.xml');
  writeFileSync(scenario, scenarioXml(opts));
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
      '-timeout', `${Math.ceil(opts.holdMs / 1000) + 90}s`,
      '-timeout_error',
      '-trace_err',
      '-trace_msg',
    ],
    cwd: opts.dir,
    logFile: path.join(opts.dir, 'sipp.log'),
  });
}
