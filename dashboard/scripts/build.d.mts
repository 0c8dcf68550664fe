/** Types of build.mjs, for the TypeScript tests and configs that call it. */
import type { BuildOptions } from "esbuild";

export declare const dashboardDir: string;
export declare const assetsDir: string;
export declare function buildOptions(sourceDir?: string): BuildOptions;
export declare function buildDashboard(): Promise<string>;
