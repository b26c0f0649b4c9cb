/**
 * Local model weights: what the project knows about (manifest), where they are installed, and how
 * an engine finds a verified copy. Install with `npm run models -- pull <id>`.
 */
export {
  MANIFEST,
  VENV_CONVERTER_REQUIREMENTS,
  findManifestEntry,
  manifestEntryBytes,
  type TDerivedFile,
  type TFileSource,
  type TManifestEntry,
  type TModelEntry,
  type TModelFile,
  type TModelPurpose,
  type TRuntimeEntry,
} from './manifest';
export { INSTALLED_FILE, REPO_ROOT, modelsDir, pullCommand, venvDir, venvPython } from './paths';
export { ZInstalledRecord, readInstalledRecord, writeInstalledRecord, type TInstalledRecord } from './installed';
export { sha256File } from './hash';
export { resolveModel, type TResolveOptions, type TResolvedModel } from './resolve';
