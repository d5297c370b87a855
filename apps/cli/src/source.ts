/**
 * In the CLI's prebuilt bundle (bundle.ts sets it): the path of the sources' main.ts, where
 * long-running commands run and modules required at run time are found. Undefined when the
 * CLI runs from its sources.
 */
export const bundledFrom = (globalThis as { stewardCliSource?: string }).stewardCliSource;
