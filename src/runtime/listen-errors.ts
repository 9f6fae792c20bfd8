/**
 * Turns the operating system's refusal to listen into the catalogue's error, naming the port, the app and
 * the flag or variable that moves it: a busy port is something a user does, not a crash.
 */
import { configKeys } from '../config/keys.js';
import { AppError } from '../core/errors.js';

/** Which of the two apps a port belongs to. */
export type ListenRole = 'sp' | 'idp';

const APP_NAMES: Record<ListenRole, string> = { sp: 'the mock Mimecast SP', idp: 'the mock Entra ID' };

/** How a person moves a setting: `--sp-port <port> (or MOCK_MIMECAST_SP_PORT, PORT)`. */
function describeSetting(path: string): { flag: string | null; env: string[]; text: string } {
  const key = configKeys.find((k) => k.path === path);
  const flag = key?.flag ?? null;
  const env = key?.env ?? [];
  return { flag: flag?.split(' ')[0] ?? null, env, text: `${flag ?? path}${env.length > 0 ? ` (or ${env.join(', ')})` : ''}` };
}

/**
 * EADDRINUSE becomes PORT_IN_USE; EACCES and EADDRNOTAVAIL become PORT_UNAVAILABLE; anything else is
 * returned as it is. `details` carry the role, host, port and the flag and variables that move it.
 */
export function explainListenError(error: unknown, role: ListenRole, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const app = APP_NAMES[role];
  const portSetting = describeSetting(`${role}.port`);
  const hostSetting = describeSetting(`${role}.host`);
  const details = { role, host, port, errno: code, flag: portSetting.flag, env: portSetting.env };
  if (code === 'EADDRINUSE') {
    return new AppError('PORT_IN_USE', `Port ${port} on ${host}, where ${app} listens, is already in use.`, {
      hint: `Stop what listens there, or move ${app} to another port with ${portSetting.text}.`,
      details,
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new AppError('PORT_UNAVAILABLE', `This user may not listen on port ${port} (${app}).`, {
      hint: `Ports below 1024 need privileges; choose one from 1024 up with ${portSetting.text}.`,
      details,
      cause: error,
    });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new AppError('PORT_UNAVAILABLE', `${host} is not an address of this machine, so ${app} cannot listen there.`, {
      hint: `Listen on 127.0.0.1 (this machine only) or 0.0.0.0 (every interface) with ${hostSetting.text}.`,
      details: { ...details, flag: hostSetting.flag, env: hostSetting.env },
      cause: error,
    });
  }
  return error;
}
