import { type ConfigTree, parseFortiosConfig, renderFortiosConfig } from '@app/fortios';
import { applyCliLines } from '@app/fortios/testing';
import {
  type DeviceConnectOptions,
  type DeviceDriver,
  type DeviceEndpoint,
  DeviceError,
  type DeviceErrorCode,
  type DeviceHealthSample,
  type DeviceSession,
  type DeviceStatus,
} from '@app/provisioning';

/** One in-memory device behind the fake driver. Tests mutate `config`, `fault` and `health` freely. */
export interface FakeDevice {
  serial: string;
  hostKey: string;
  config: ConfigTree;
  health: DeviceHealthSample;
  /** Fails the next connect (and every later one) with this code until cleared. */
  fault: Exclude<DeviceErrorCode, 'HOST_KEY_CHANGED'> | null;
}

export interface RecordedCall {
  target: string;
  action: 'connect' | 'health' | 'runningConfig' | 'pollState' | 'applyCommands' | 'wipe' | 'close';
  lines?: string[];
}

const FACTORY = (serial: string): string =>
  `config system global\n    set hostname "${serial}"\n    set timezone "Asia/Tokyo"\nend\n`;

function statusOf(device: FakeDevice): DeviceStatus {
  const global = device.config.get('system global');
  const raw = global?.kind === 'settings' ? global.settings.get('hostname') : undefined;
  const hostname = raw?.replace(/^"(.*)"$/, '$1') || device.serial;
  return {
    serial: device.serial,
    model: 'FortiGate-60F',
    firmware: 'v7.2.5,build1517,230606 (GA.F)',
    hostname,
    virtualDomains: false,
  };
}

const PAGING_OFF = ['config system console', 'set output standard', 'end'];
const PAGING_BACK = ['config system console', 'unset output', 'end'];

/**
 * A DeviceDriver without SSH for tests of code above the transport: devices live in memory,
 * config lines go through the same CLI interpreter the simulator uses, and every call is
 * recorded so a test can assert what reached which device. Like the real driver, a session turns
 * the unit's console paging off while it is open and puts it back when it closes.
 */
export class RecordingDeviceDriver implements DeviceDriver {
  readonly vendor = 'fortinet';
  readonly calls: RecordedCall[] = [];
  private readonly devices = new Map<string, FakeDevice>();

  addDevice(
    endpoint: Pick<DeviceEndpoint, 'host' | 'port'>,
    serial: string,
    configText = FACTORY(serial),
  ): FakeDevice {
    const device: FakeDevice = {
      serial,
      hostKey: `SHA256:fake-${serial}`,
      config: parseFortiosConfig(configText),
      health: {
        cpuPercent: 5,
        memoryPercent: 40,
        sessions: 10,
        intrusionsBlockedLastMinute: 0,
        virusesCaughtLastMinute: 0,
        uptimeSeconds: 60,
      },
      fault: null,
    };
    this.devices.set(`${endpoint.host}:${endpoint.port}`, device);
    return device;
  }

  callsTo(target: string): RecordedCall[] {
    return this.calls.filter((c) => c.target === target);
  }

  async connect(endpoint: DeviceEndpoint, options: DeviceConnectOptions): Promise<DeviceSession> {
    const target = `${endpoint.host}:${endpoint.port}`;
    this.calls.push({ target, action: 'connect' });
    const device = this.devices.get(target);
    if (!device) {
      throw new DeviceError('UNREACHABLE', `${target} is unreachable`, { target });
    }
    if (device.fault) {
      throw new DeviceError(device.fault, `${target}: injected ${device.fault}`, { target });
    }
    if (options.pinnedHostKey !== null && options.pinnedHostKey !== device.hostKey) {
      throw new DeviceError(
        'HOST_KEY_CHANGED',
        `${target} presented a host key other than the pinned one`,
        {
          target,
          expected: options.pinnedHostKey,
          observed: device.hostKey,
        },
      );
    }
    return this.session(target, device);
  }

  private session(target: string, device: FakeDevice): DeviceSession {
    let isOpen = true;
    const use = (action: RecordedCall['action'], lines?: string[]): void => {
      this.calls.push({ target, action, ...(lines ? { lines: [...lines] } : {}) });
      if (!isOpen) {
        throw new DeviceError('UNREACHABLE', `${target}: the session is closed`, {
          target,
          sent: false,
        });
      }
    };
    device.config = applyCliLines(device.config, PAGING_OFF).tree;
    return {
      hostKey: device.hostKey,
      status: statusOf(device),
      get isOpen() {
        return isOpen;
      },
      health: async () => {
        use('health');
        return { ...device.health };
      },
      runningConfig: async () => {
        use('runningConfig');
        return renderFortiosConfig(device.config);
      },
      pollState: async () => {
        use('pollState');
        return { sample: { ...device.health }, runningConfig: renderFortiosConfig(device.config) };
      },
      applyCommands: async (lines) => {
        use('applyCommands', lines);
        const { tree, errors } = applyCliLines(device.config, lines);
        device.config = tree;
        if (errors.length > 0) {
          const [first] = errors;
          throw new DeviceError('CLI_ERROR', `${target} refused line ${first.lineNumber}`, {
            target,
            lineNumber: first.lineNumber,
            line: first.line,
            output: first.output,
          });
        }
        return { output: '' };
      },
      wipe: async () => {
        use('wipe');
        device.config = parseFortiosConfig(FACTORY(device.serial));
        isOpen = false;
      },
      close: async () => {
        this.calls.push({ target, action: 'close' });
        if (isOpen) device.config = applyCliLines(device.config, PAGING_BACK).tree;
        isOpen = false;
      },
    };
  }
}
