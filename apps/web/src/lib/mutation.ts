// Mutations that refresh the lists they change, so every page handles success the same way.
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";

export function useApiMutation<In, Out>(
  fn: (input: In) => Promise<Out>,
  {
    invalidate = [],
    onSuccess,
  }: { invalidate?: QueryKey[]; onSuccess?: (out: Out, input: In) => void } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (out, input) => {
      await Promise.all(invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      onSuccess?.(out, input);
    },
  });
}

/** A dialog's onOpenChange that forgets the mutation's error when the dialog closes. */
export function resetOnClose(mutation: { reset: () => void }, onOpenChange: (o: boolean) => void) {
  return (open: boolean) => {
    if (!open) mutation.reset();
    onOpenChange(open);
  };
}
