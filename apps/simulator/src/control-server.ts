import { FortiosConfigParseError, parseFortiosConfig, renderFortiosConfig } from '@app/fortios';
import { createServer, type Server } from 'node:http';
import { parseBehaviour } from './appliance/appliance-behaviour';
import type { ApplianceFaults, SimulatedAppliance } from './appliance/simulated-appliance';
import { HttpError, jsonHandler, readBody, readJsonObject, sendJson, sendText } from './http-util';

const FAULT_TYPES: Record<keyof ApplianceFaults, 'boolean' | 'ms'> = {
  offline: 'boolean',
  slowMs: 'ms',
  wrongPassword: 'boolean',
  newHostKey: 'boolean',
  cliError: 'boolean',
  truncatedShow: 'boolean',
  cutReadBack: 'boolean',
};

function parseFaults(body: Record<string, unknown>): Partial<ApplianceFaults> {
  const patch: Partial<Record<keyof ApplianceFaults, unknown>> = {};
  for (const [name, value] of Object.entries(body)) {
    const type = FAULT_TYPES[name as keyof ApplianceFaults];
    if (!type) {
      throw new HttpError(400, 'UNKNOWN_FAULT', `unknown fault "${name}"`);
    }
    const isValid =
      type === 'boolean'
        ? typeof value === 'boolean'
        : Number.isInteger(value) && (value as number) >= 0;
    if (!isValid) {
      throw new HttpError(
        400,
        'INVALID_FAULT',
        `${name} must be ${type === 'boolean' ? 'a boolean' : 'an integer >= 0'}`,
      );
    }
    patch[name as keyof ApplianceFaults] = value;
  }
  return patch as Partial<ApplianceFaults>;
}

function describe(appliance: SimulatedAppliance): Record<string, unknown> {
  return {
    serial: appliance.serial,
    port: appliance.port,
    hostKey: appliance.hostKeyFingerprint,
    isRebooting: appliance.isRebooting,
    faults: appliance.faults,
    behaviour: appliance.behaviour,
    mustChangePassword: appliance.mustChangePassword,
    stats: appliance.stats,
    health: appliance.healthSnapshot(),
  };
}

/**
 * The test harness's view of the appliances: read and replace running configs, flip faults,
 * choose behaviours, reset a unit to factory default, read and reset stats. Loopback only; no
 * authentication.
 */
export function createControlServer(
  appliances: ReadonlyMap<string, SimulatedAppliance>,
  log: (line: string) => void,
): Server {
  return createServer(
    jsonHandler(async (req, res, url) => {
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const route = `${req.method} /${parts.map((p, i) => (i === 1 ? ':serial' : p)).join('/')}`;
      if (route === 'GET /appliances') {
        sendJson(res, 200, [...appliances.values()].map(describe));
        return;
      }
      const appliance =
        parts[0] === 'appliances' && parts.length > 1 ? appliances.get(parts[1]) : undefined;
      const known = [
        'GET /appliances/:serial/config',
        'POST /appliances/:serial/config',
        'POST /appliances/:serial/faults',
        'POST /appliances/:serial/behaviour',
        'POST /appliances/:serial/factory-reset',
        'GET /appliances/:serial/stats',
        'POST /appliances/:serial/stats/reset',
      ];
      if (!known.includes(route)) {
        throw new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      }
      if (!appliance) {
        throw new HttpError(404, 'APPLIANCE_NOT_FOUND', `no appliance with serial "${parts[1]}"`);
      }
      switch (route) {
        case 'GET /appliances/:serial/config':
          sendText(res, 200, renderFortiosConfig(appliance.runningConfig));
          return;
        case 'POST /appliances/:serial/config': {
          const text = await readBody(req);
          try {
            appliance.runningConfig = parseFortiosConfig(text);
          } catch (error) {
            if (error instanceof FortiosConfigParseError) {
              throw new HttpError(400, error.code, error.message, { line: error.line });
            }
            throw error;
          }
          sendText(res, 200, renderFortiosConfig(appliance.runningConfig));
          return;
        }
        case 'POST /appliances/:serial/faults': {
          const faults = appliance.setFaults(parseFaults(await readJsonObject(req)));
          log(`${appliance.serial}: faults ${JSON.stringify(faults)}`);
          sendJson(res, 200, faults);
          return;
        }
        case 'POST /appliances/:serial/behaviour': {
          let patch;
          try {
            patch = parseBehaviour(await readJsonObject(req));
          } catch (error) {
            if (error instanceof HttpError) throw error;
            throw new HttpError(400, 'INVALID_BEHAVIOUR', (error as Error).message);
          }
          const behaviour = appliance.setBehaviour(patch);
          log(`${appliance.serial}: behaviour ${JSON.stringify(behaviour)}`);
          sendJson(res, 200, behaviour);
          return;
        }
        case 'POST /appliances/:serial/factory-reset':
          // As `execute factoryreset` on the unit: config and password back to the box's.
          appliance.factoryReset();
          sendJson(res, 200, describe(appliance));
          return;
        case 'GET /appliances/:serial/stats':
          sendJson(res, 200, appliance.stats);
          return;
        default:
          sendJson(res, 200, appliance.resetStats());
      }
    }, log),
  );
}
