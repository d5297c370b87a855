import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type SettingKey, type Settings, settingDefs, settingKeys } from "./schema.ts";

export class ConfigError extends Error {}

export type Overrides = Partial<Record<SettingKey, string | number | boolean>>;
type Origin = { value: unknown; origin: string };

export function configFilePath(env: NodeJS.ProcessEnv, dataDir: string): string {
  return resolve(env.STEWARD_CONFIG ?? resolve(dataDir, "steward.json"));
}

export function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file} must hold a JSON object`);
  }
  for (const key of Object.keys(parsed)) {
    if (key === "dataDir") {
      throw new ConfigError(
        `config file ${file}: "dataDir" cannot be set here, the file lives in it; use STEWARD_DATA_DIR or --data`,
      );
    }
    if (!settingKeys.includes(key as SettingKey)) {
      throw new ConfigError(`config file ${file}: unknown setting "${key}"`);
    }
  }
  return parsed as Record<string, unknown>;
}

/** Where each setting comes from: flag, then environment, then config file, then default. */
export function resolveOrigins(
  env: NodeJS.ProcessEnv = process.env,
  flags: Overrides = {},
): Record<SettingKey, Origin> & { configFile: string } {
  const pick = (key: SettingKey, file: Record<string, unknown>): Origin => {
    const def = settingDefs[key];
    if (flags[key] !== undefined) return { value: flags[key], origin: `--${key}` };
    const fromEnv = env[def.env];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, origin: def.env };
    if (file[key] !== undefined) return { value: file[key], origin: `config file key "${key}"` };
    return { value: def.default, origin: "default" };
  };
  const dataDir = String(pick("dataDir", {}).value);
  const configFile = configFilePath(env, dataDir);
  const file = readConfigFile(configFile);
  const out = { configFile } as Record<SettingKey, Origin> & { configFile: string };
  for (const key of settingKeys) out[key] = pick(key, file);
  return out;
}

/** Validated settings; a bad value throws one ConfigError naming the setting. */
export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  flags: Overrides = {},
): Settings {
  const origins = resolveOrigins(env, flags);
  const out: Record<string, unknown> = { configFile: origins.configFile };
  for (const key of settingKeys) {
    const { value, origin } = origins[key];
    const parsed = settingDefs[key].schema.safeParse(value);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? "invalid value";
      throw new ConfigError(`invalid setting ${origin}: ${why}`);
    }
    out[key] = parsed.data;
  }
  const settings = out as Settings;
  if (settings.tlsDomain && (settings.tlsCert || settings.tlsKey))
    throw new ConfigError(
      "invalid settings STEWARD_TLS_DOMAIN and STEWARD_TLS_CERT/STEWARD_TLS_KEY: the panel obtains its certificate or is given one, not both: set one or the other",
    );
  settings.dataDir = resolve(settings.dataDir);
  return settings;
}
