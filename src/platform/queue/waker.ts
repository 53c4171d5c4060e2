// A sleep that a notification (or a finished job) can cut short. A wake that arrives while
// nobody is waiting is remembered, so work announced during a claim is not missed.
export interface Waker {
  wake(): void;
  wait(ms: number): Promise<void>;
}

export function createWaker(): Waker {
  let pending = false;
  let resolve: (() => void) | undefined;
  return {
    wake() {
      if (resolve) resolve();
      else pending = true;
    },
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((done) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          resolve = undefined;
          done();
        }
        resolve = finish;
      });
    },
  };
}
