/** Types of build-dashboard.mjs, for the TypeScript test harness and configs that call it. */
export declare const assetsDir: string;
export declare function buildDashboard(): Promise<string>;
