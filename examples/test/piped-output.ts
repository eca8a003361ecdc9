/** A stand-in for a piped stdout (not a TTY) that keeps what is written to it. */
export function pipedOutput() {
  const chunks: string[] = [];
  return {
    out: {
      isTTY: false,
      write: (chunk: string) => {
        chunks.push(chunk);
        return true;
      },
    },
    text: () => chunks.join(""),
  };
}
