// Where the session goes and which API key goes with it: the provider, its base URL (checked: printable, http(s))
// and the key. Who chose the address decides which key may go: a project's address gets only a key that belongs to
// that service (projectAddressKey), never one of yours aimed elsewhere. Imports config-layers, providers and types
// only; config.ts calls it while loading.
import { ConfigError, type Picker } from './config-layers.ts';
import { getProvider, isProviderId, keyBelongsTo, PROVIDER_IDS, type ProviderPreset } from './providers.ts';
import type { ProviderId } from './types.ts';

/**
 * The provider, its URL and the key to send there. Who chose the address decides which key may go: the level of
 * the base URL, or of the provider when its preset URL is used.
 */
export function endpoint(pick: Picker, own: Picker, env: NodeJS.ProcessEnv, userKey: string | undefined) {
  const providerPick = pick('provider');
  const provider = checkedProvider(providerPick?.value ?? 'zai', providerPick?.where);
  const preset = getProvider(provider);
  const urlPick = pick('baseUrl');
  const baseURL = urlPick?.value ?? preset.baseURL;
  if (!baseURL) {
    throw new ConfigError(`Provider ${provider} needs a base URL: pass --base-url or set GLM_BASE_URL (e.g. http://localhost:8000/v1)`, 'endpoint');
  }
  checkUrl(baseURL, urlPick?.where ?? `provider ${provider}`);
  const chooser = urlPick ?? providerPick;
  const apiKey =
    chooser?.level === 'project'
      ? projectAddressKey(env, preset, baseURL, chooser.where, userKey, ownAddress(own))
      : ownAddressKey(env, preset, urlPick !== undefined, userKey);
  return { provider, preset, baseURL, apiKey };
}

/**
 * The key for an address you chose (the base URL, or the provider when its preset URL is used, comes from a flag,
 * a GLM_* variable, your settings file or the defaults): the provider's key variables, GLM_API_KEY as well for a
 * base URL you set, then your settings file's apiKey for a hosted provider (not for any server a URL points at).
 */
function ownAddressKey(env: NodeJS.ProcessEnv, preset: ProviderPreset, ownUrl: boolean, userKey: string | undefined): string | undefined {
  const names = ownUrl ? [...new Set([...preset.keyEnv, 'GLM_API_KEY'])] : preset.keyEnv;
  const key = firstSet(env, names) ?? (preset.keyRequired ? userKey : undefined);
  if (preset.keyRequired && !key) throw noKey(preset, names);
  return key;
}

/**
 * The key for an address a trusted project chose: only a variable that belongs to that service (keyBelongsTo:
 * GLM_API_KEY on api.z.ai, OPENROUTER_API_KEY on openrouter.ai), or your settings file's apiKey when it is the
 * service your own settings pick. Anywhere else gets no key: a project must not redirect your key.
 */
function projectAddressKey(
  env: NodeJS.ProcessEnv,
  preset: ProviderPreset,
  baseURL: string,
  where: string,
  userKey: string | undefined,
  ownURL: string | undefined,
): string | undefined {
  const names = preset.keyEnv.filter((name) => keyBelongsTo(name, baseURL));
  const fileKeyFits = names.length > 0 && ownURL !== undefined && originOf(ownURL) === originOf(baseURL);
  const key = firstSet(env, names) ?? (fileKeyFits ? userKey : undefined);
  if (key || !preset.keyRequired) return key;
  if (names.length) throw noKey(preset, names);
  throw new ConfigError(
    `${where} sends the session to ${baseURL}, and glm-code sends your API key only to the service it belongs to or to an address you set yourself: pass --base-url or set GLM_BASE_URL to use it`,
    'key',
  );
}

/** The address your own levels (flags, environment, user settings, defaults) pick, without the project's file. */
function ownAddress(own: Picker): string | undefined {
  const provider = own('provider')?.value ?? 'zai';
  return own('baseUrl')?.value ?? (isProviderId(provider) ? getProvider(provider).baseURL : undefined);
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  return names.map((name) => env[name]?.trim()).find((v) => v);
}

function noKey(preset: ProviderPreset, names: readonly string[]): ConfigError {
  const [first, ...rest] = names;
  return new ConfigError(`No API key for provider ${preset.id}: set ${first}${rest.length ? ` (or ${rest.join(', ')})` : ''}`, 'key');
}

const originOf = (url: string) => (URL.canParse(url) ? new URL(url).origin : undefined);

export function checkedProvider(id: string, where: string | undefined): ProviderId {
  if (!isProviderId(id)) throw new ConfigError(`Unknown provider "${id}" (${where}): use one of ${PROVIDER_IDS.join(', ')}`);
  return id;
}

export function checkUrl(url: string, where: string): void {
  // No control characters or spaces: the URL is printed (notices, glm trust) and must read as what it is.
  const unprintable = /[\u0000-\u0020\u007f-\u009f]/g;
  if (!url.match(unprintable) && URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol)) return;
  const shown = url.replace(/\/\/[^/@]*@/, '//…@').replace(unprintable, '?');
  throw new ConfigError(`Invalid base URL "${shown}" (${where}): use an http(s) URL such as http://localhost:8000/v1`, 'endpoint');
}
