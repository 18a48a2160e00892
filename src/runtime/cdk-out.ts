/** @module runtime/cdk-out: reads a cloud assembly (`cdk.out/manifest.json`): its stacks, templates and asset directories. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TemplateError } from './intrinsics.ts';
import type { RuntimePlan } from './plan.ts';
import { planFromTemplates, type TemplateSource } from './template.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new TemplateError(path, `cannot read JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Object key → source directory of every file asset in an asset manifest (`<stack>.assets.json`). */
function readAssetManifest(assemblyDir: string, file: string, into: Map<string, string>): void {
  const manifest = readJson(join(assemblyDir, file));
  const files = isRecord(manifest) && isRecord(manifest['files']) ? manifest['files'] : {};
  for (const asset of Object.values(files)) {
    if (!isRecord(asset) || !isRecord(asset['source']) || typeof asset['source']['path'] !== 'string') continue;
    const dir = resolve(assemblyDir, asset['source']['path']);
    for (const destination of Object.values(isRecord(asset['destinations']) ? asset['destinations'] : {})) {
      if (isRecord(destination) && typeof destination['objectKey'] === 'string') into.set(destination['objectKey'], dir);
    }
  }
}

/**
 * The stacks of a cloud assembly, with their templates (nested assemblies of CDK stages included).
 * @throws TemplateError when `manifest.json` or a template is missing or not JSON.
 */
export function readCloudAssembly(assemblyDir: string): TemplateSource[] {
  const manifestPath = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new TemplateError(assemblyDir, 'no manifest.json: synthesize the CDK app first (npx cdk synth)');
  const manifest = readJson(manifestPath);
  const artifacts = isRecord(manifest) && isRecord(manifest['artifacts']) ? manifest['artifacts'] : {};
  const assets = new Map<string, string>();
  const sources: TemplateSource[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || !isRecord(artifact['properties'])) continue;
    const props = artifact['properties'];
    if (artifact['type'] === 'cdk:asset-manifest' && typeof props['file'] === 'string') readAssetManifest(assemblyDir, props['file'], assets);
    if (artifact['type'] === 'cdk:cloud-assembly' && typeof props['directoryName'] === 'string') {
      sources.push(...readCloudAssembly(join(assemblyDir, props['directoryName'])));
    }
  }
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || artifact['type'] !== 'aws:cloudformation:stack' || !isRecord(artifact['properties'])) continue;
    const props = artifact['properties'];
    if (typeof props['templateFile'] !== 'string') continue;
    sources.push({
      stackName: typeof props['stackName'] === 'string' ? props['stackName'] : id,
      template: readJson(join(assemblyDir, props['templateFile'])),
      assemblyDir,
      assetsByObjectKey: assets,
    });
  }
  return sources;
}

/**
 * Reads `cdk.out` (or another cloud assembly directory) into a runtime plan.
 * @throws TemplateError as {@link readCloudAssembly} and `planFromTemplates`.
 */
export function loadPlan(options: { cdkOut: string }): RuntimePlan {
  return planFromTemplates(readCloudAssembly(resolve(options.cdkOut)));
}
