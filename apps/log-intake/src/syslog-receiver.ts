import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import type { Logger } from 'pino';
import type { AppConfig } from '@app/config';
import type { BatchingWriter } from './batching-writer';
import { SyslogFramer } from './syslog-framing';

/**
 * Syslog in: TCP (RFC 6587; TLS per RFC 5425 when a certificate is configured) and UDP (RFC 5426,
 * one message per datagram). TCP senders are paused while the writer is full, so a burst waits in
 * the senders' buffers (FortiOS `reliable` mode keeps its own queue) instead of in our memory.
 */
export class SyslogReceiver {
  private tcp: net.Server | null = null;
  private udp: dgram.Socket | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly paused = new Set<net.Socket>();

  constructor(
    private readonly config: Pick<
      AppConfig['logIntake'],
      'host' | 'tcpPort' | 'udpPort' | 'tlsCertFile' | 'tlsKeyFile'
    >,
    private readonly writer: BatchingWriter,
    private readonly logger: Logger,
  ) {
    writer.onDrained(() => {
      for (const socket of this.paused) socket.resume();
      this.paused.clear();
    });
  }

  /** The ports bound (useful when 0 asked for a free one). */
  get ports(): { tcp: number; udp: number } {
    return {
      tcp: (this.tcp?.address() as AddressInfo | null)?.port ?? 0,
      udp: this.udp ? this.udp.address().port : 0,
    };
  }

  async start(): Promise<{ tcp: number; udp: number }> {
    const { tlsCertFile, tlsKeyFile } = this.config;
    const onConnection = (socket: net.Socket): void => this.serve(socket);
    this.tcp =
      tlsCertFile && tlsKeyFile
        ? tls.createServer(
            { cert: readFileSync(tlsCertFile), key: readFileSync(tlsKeyFile) },
            onConnection,
          )
        : net.createServer(onConnection);
    this.tcp.on('tlsClientError', (error: Error) =>
      this.logger.warn({ err: error }, 'a syslog TLS handshake failed'),
    );
    await new Promise<void>((resolve, reject) => {
      this.tcp!.once('error', reject);
      this.tcp!.listen(this.config.tcpPort, this.config.host, () => resolve());
    });
    this.udp = dgram.createSocket({ type: this.config.host.includes(':') ? 'udp6' : 'udp4' });
    this.udp.on('message', (message) => {
      // RFC 5426: one message per datagram; trailing newlines are the sender's habit.
      this.writer.offer(message.toString('utf8').replace(/[\r\n\0]+$/, ''));
    });
    this.udp.on('error', (error) => this.logger.error({ err: error }, 'syslog UDP socket error'));
    await new Promise<void>((resolve) =>
      this.udp!.bind(this.config.udpPort, this.config.host, () => resolve()),
    );
    const ports = this.ports;
    this.logger.info({ ...ports, tls: Boolean(tlsCertFile) }, 'syslog receiver listening');
    return ports;
  }

  private serve(socket: net.Socket): void {
    const framer = new SyslogFramer();
    this.sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      const messages = framer.push(chunk);
      if (!this.writer.accept(messages) && !this.paused.has(socket)) {
        socket.pause();
        this.paused.add(socket);
      }
    });
    socket.on('error', (error) => this.logger.debug({ err: error }, 'syslog sender socket error'));
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.paused.delete(socket);
    });
  }

  /** Stops listening and waits for open TCP senders to finish what they sent, then closes. */
  async stop(): Promise<void> {
    const tcp = this.tcp;
    const closed = tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : null;
    // Senders are told to go: what they already sent has been read into the writer.
    for (const socket of this.sockets) {
      socket.resume();
      socket.end();
    }
    if (this.udp) await new Promise<void>((resolve) => this.udp!.close(() => resolve()));
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, 2_000);
    await closed;
    clearTimeout(timer);
    this.tcp = null;
    this.udp = null;
  }
}
