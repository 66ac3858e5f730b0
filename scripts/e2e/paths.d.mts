export declare const repoRoot: string;
export declare function e2ePaths(env?: NodeJS.ProcessEnv): {
  cache: string;
  node: string;
  codeServer: string;
  chromium: string;
};
export declare function missingPrerequisites(env?: NodeJS.ProcessEnv): string[];
