export { installAllPatches } from './install-all-patches';
export type { InstallAllPatchesOptions, InstalledPatches } from './install-all-patches';
export { SUPPORTED_INSTRUMENTATIONS } from './supported-instrumentations';
export type { SupportedInstrumentation } from './supported-instrumentations';
