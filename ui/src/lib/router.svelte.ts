// Which screen the unlocked app shows. A tiny in-memory router: no URLs (the
// app has one window and no address bar), a history for "Terug".

export type Route =
  | { name: 'today' }
  | { name: 'caseload'; dueOnly?: boolean }
  | { name: 'case'; caseId: string }
  | { name: 'visit'; caseId: string }
  | { name: 'letter'; caseId: string; batch?: string[] }
  | { name: 'spreekuur' }
  | { name: 'sync' }
  | { name: 'settings' };

class Router {
  current = $state<Route>({ name: 'today' });
  #history: Route[] = [];

  go(route: Route): void {
    this.#history.push(this.current);
    this.current = route;
  }

  back(): void {
    this.current = this.#history.pop() ?? { name: 'today' };
  }

  reset(): void {
    this.#history = [];
    this.current = { name: 'today' };
  }
}

export const router = new Router();
