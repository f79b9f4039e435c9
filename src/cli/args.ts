// Tiny argv parser for the CLI: `--name value`, repeated or multi-valued options, and boolean flags.
export interface ParsedArgs {
  options: Record<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

export function parseArgs(argv: string[], booleanFlags: string[]): ParsedArgs {
  const options: Record<string, string[]> = {};
  const flags = new Set<string>();
  const positional: string[] = [];
  let current: string | null = null;
  for (const a of argv) {
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (booleanFlags.includes(name)) { flags.add(name); current = null; }
      else { current = name; options[name] ??= []; }
    } else if (current) options[current].push(a);
    else positional.push(a);
  }
  return { options, flags, positional };
}

export function single(p: ParsedArgs, name: string): string | undefined {
  const v = p.options[name];
  if (v && v.length > 1) throw new Error(`--${name} takes one value, got ${v.length}`);
  return v?.[0];
}
