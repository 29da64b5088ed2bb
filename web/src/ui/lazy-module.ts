import { useEffect, useState } from 'react';

/**
 * A module run on first use, without Suspense: the component draws its placeholder until the module is in, then
 * draws again. React holds back what a Suspense boundary reveals for up to 300 ms after its fallback showed
 * (so that content does not pop in piece by piece), which left a page's grid or chart waiting with its code
 * and data already there.
 */
export function lazyModule<M>(load: () => Promise<M>): (() => M | undefined) & { load: () => Promise<M> } {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const start = () => {
    loading ??= load().then(
      (module) => {
        loaded = module;
        return module;
      },
      (error: unknown) => {
        loading = undefined; // asked again by the next component that needs it
        throw error;
      },
    );
    return loading;
  };
  function useModule() {
    const [module, setModule] = useState(loaded);
    useEffect(() => {
      if (module) return;
      let current = true;
      start().then(
        (m) => current && setModule(() => m),
        () => {}, // a failed load keeps the placeholder; the next visit tries again
      );
      return () => {
        current = false;
      };
    }, [module]);
    return module ?? loaded;
  }
  // Started ahead by a page that knows it will draw one (main.tsx): its first drawing then includes it.
  return Object.assign(useModule, { load: start });
}
