import { connect } from 'node:net';

/**
 * The forced command of a real OpenSSH server standing in for a FortiGate (`ForceCommand node
 * cli-relay.js <socket> <serial>`): it hands the SSH session to the simulator's unit of that serial
 * and relays bytes both ways until either side ends. The exec's text comes from
 * SSH_ORIGINAL_COMMAND (none for a shell). It loads nothing but `node:net`: sshd starts one per
 * SSH channel, and a heavy start would be paid by every session.
 */
const [socketPath, serial] = process.argv.slice(2);
if (!socketPath || !serial) {
  process.stderr.write('usage: cli-relay.js <simulator socket> <serial>\n');
  process.exit(2);
}
const command = process.env.SSH_ORIGINAL_COMMAND ?? null;
// On a PTY (a shell with a terminal) the unit, not the terminal, echoes and edits lines.
if (process.stdin.isTTY) process.stdin.setRawMode(true);
const upstream = connect(socketPath, () => {
  const header = {
    serial,
    command,
    connection: process.env.SSH_CONNECTION ?? `pid ${process.pid}`,
  };
  upstream.write(`${JSON.stringify(header)}\n`);
  process.stdin.pipe(upstream);
});
upstream.pipe(process.stdout);
upstream.on('close', () => process.exit(0));
upstream.on('error', (error) => {
  process.stderr.write(`the simulated unit is unreachable: ${error.message}\n`);
  process.exit(1);
});
process.stdin.on('end', () => upstream.end());
