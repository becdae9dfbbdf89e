// What the local ATS servers hold: applications (Greenhouse applications, Lever opportunities,
// Ashby applications), notes per candidate, every write received, and the faults queued for the
// next matching requests.

export type Provider = 'greenhouse' | 'lever' | 'ashby';

export interface FakeApplication {
  id: string;
  candidateId: string;
  jobId: string;
  status: 'active' | 'rejected' | 'hired';
  reasonId: string | null;
  /** Ashby: the interview plan the application is in. */
  interviewPlanId: string;
  /** What a listing shows of the candidate and the job. */
  candidateName: string;
  email: string;
  jobTitle: string;
  /** Lever: the opportunity's stage (an id of GET /stages). */
  stageId: string;
  /** Ashby listings: the change counter when it last changed (what a sync token compares). */
  changed: number;
  /** Lever listings: when it last changed (ms; what `updated_at_start` compares). */
  updatedAt: number;
}

/** A job (Greenhouse job, Lever posting, Ashby job), listed by the open-jobs endpoints whether or not anyone applied. */
export interface FakeJob {
  id: string;
  title: string;
  /** Greenhouse's open/closed/draft; Lever's `published` is `open`, Ashby's `Open` too. */
  status: 'open' | 'closed' | 'draft';
}

export interface FakeUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
}

/** A webhook registered through Ashby's API (webhook.create). */
export interface FakeAshbyWebhook {
  id: string;
  webhookType: string;
  requestUrl: string;
  secretToken: string;
  enabled: boolean;
}

/** A Lever webhook: made through the API (POST /webhooks, with the token Lever made for it) or by a person in Lever's settings. */
export interface FakeLeverWebhook {
  id: string;
  event: string;
  url: string;
  signatureToken: string;
  conditions: unknown;
  createdBy: 'api' | 'user';
}

export interface RecordedWrite {
  provider: Provider;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** `status`: answer with it (and `Retry-After`); `hang`: never answer; `dropAfterWrite`: do the write, then cut the connection; `hangAfterWrite`: do the write, never answer. */
export type Fault = { status: number; retryAfter?: string } | { hang: true } | { dropAfterWrite: true } | { hangAfterWrite: true };

interface QueuedFault {
  provider: Provider;
  method: string | null;
  path: RegExp;
  fault: Fault;
}

export class FakeAtsState {
  readonly applications = new Map<string, FakeApplication>();
  readonly notes = new Map<string, string[]>();
  readonly writes: RecordedWrite[] = [];
  /** Emails the ATS would have sent the candidate (a rejection_email / archiveEmail asked for). */
  readonly emails: { provider: Provider; applicationId: string }[] = [];
  /** Greenhouse access tokens issued, and the `sub` each was issued for. */
  readonly tokens = new Map<string, { sub: string | null; valid: boolean }>();
  /** Candidates anonymized (provider:id). */
  readonly anonymized = new Set<string>();
  readonly requests: { provider: Provider; method: string; path: string; at: number }[] = [];
  /** Requests answered 429 because they went over the server's rate limit (`rateLimit` option). */
  readonly throttled: { provider: Provider; path: string; at: number }[] = [];
  private faults: QueuedFault[] = [];
  /** Ashby webhooks by id, as webhook.create made them (webhook.delete removes them). */
  readonly ashbyWebhooks = new Map<string, FakeAshbyWebhook>();
  /** Lever webhooks by id (POST /webhooks makes them, DELETE removes those the API made). */
  readonly leverWebhooks = new Map<string, FakeLeverWebhook>();
  /** Each ATS's users: three to start with, the last deactivated. */
  readonly users: Record<Provider, FakeUser[]> = {
    greenhouse: FakeAtsState.someUsers('greenhouse', 3, 1001),
    lever: FakeAtsState.someUsers('lever', 3, 1001),
    ashby: FakeAtsState.someUsers('ashby', 3, 1001),
  };

  /** `count` users with ids from `first` (numbers, as Greenhouse's), the third one deactivated. */
  static someUsers(provider: Provider, count: number, first: number): FakeUser[] {
    return Array.from({ length: count }, (_, i) => ({
      id: provider === 'greenhouse' ? String(first + i) : `${provider}-user-${first + i}`,
      firstName: `Recruiter`,
      lastName: `${first + i}`,
      email: `recruiter${first + i}@${provider}.test`,
      active: i !== 2,
    }));
  }

  key(provider: Provider, id: string) {
    return `${provider}:${id}`;
  }

  addApplication(provider: Provider, app: Partial<FakeApplication> & { id: string; candidateId: string }) {
    const full: FakeApplication = {
      jobId: 'job-1',
      status: 'active',
      reasonId: null,
      interviewPlanId: 'plan-1',
      stageId: 'stage-1',
      candidateName: `Candidate ${app.candidateId}`,
      email: `c${app.candidateId}@candidates.test`.toLowerCase(),
      jobTitle: `Job ${app.jobId ?? 'job-1'}`,
      ...app,
      changed: ++this.changes,
      updatedAt: Date.now(),
    };
    this.applications.set(this.key(provider, app.id), full);
    return full;
  }

  /** Jobs by provider:id (`addJob`); a job only named by applications is not listed as open. */
  readonly jobs = new Map<string, FakeJob>();

  addJob(provider: Provider, job: Partial<FakeJob> & { id: string }) {
    const full: FakeJob = { title: `Job ${job.id}`, status: 'open', ...job };
    this.jobs.set(this.key(provider, job.id), full);
    return full;
  }

  jobsOf(provider: Provider) {
    return [...this.jobs.entries()].filter(([key]) => key.startsWith(`${provider}:`)).map(([, job]) => job);
  }

  /** Requests of `provider` to `path` so far (the token endpoint's included for Greenhouse). */
  callsTo(provider: Provider, path: string | RegExp) {
    return this.requests.filter((r) => r.provider === provider && (typeof path === 'string' ? r.path === path : path.test(r.path))).length;
  }

  /** Every change so far (Ashby's sync tokens name a point in it). */
  changes = 0;

  /** A change made in the ATS (by a person there): listed again after the sync tokens before it. */
  change(provider: Provider, id: string, patch: Partial<FakeApplication>) {
    const app = this.application(provider, id);
    if (!app) throw new Error(`no ${provider} application ${id}`);
    Object.assign(app, patch, { changed: ++this.changes, updatedAt: Date.now() });
    return app;
  }

  application(provider: Provider, id: string) {
    return this.applications.get(this.key(provider, id));
  }

  notesOf(provider: Provider, candidateId: string) {
    return this.notes.get(this.key(provider, candidateId)) ?? [];
  }

  addNote(provider: Provider, candidateId: string, text: string) {
    this.notes.set(this.key(provider, candidateId), [...this.notesOf(provider, candidateId), text]);
  }

  /** Queues a fault for the next request of `provider` matching `method` and `path`, `times` times. */
  fail(provider: Provider, match: { method?: string; path: RegExp }, fault: Fault, times = 1) {
    for (let i = 0; i < times; i++) this.faults.push({ provider, method: match.method ?? null, path: match.path, fault });
  }

  takeFault(provider: Provider, method: string, path: string): Fault | null {
    const index = this.faults.findIndex((f) => f.provider === provider && (f.method === null || f.method === method) && f.path.test(path));
    if (index < 0) return null;
    return this.faults.splice(index, 1)[0]!.fault;
  }

  clearFaults() {
    this.faults = [];
  }

  /** Every Greenhouse token issued so far stops working (as at the end of its hour). */
  expireTokens() {
    for (const token of this.tokens.values()) token.valid = false;
  }

  writesOf(provider: Provider, path?: RegExp) {
    return this.writes.filter((w) => w.provider === provider && (!path || path.test(w.path)));
  }
}
