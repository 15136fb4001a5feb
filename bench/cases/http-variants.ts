// The HTTP case's variants, which app serves each, and the floor each is judged against. Each framework has its
// own floor, measured in the same run: no tracing but one AsyncLocalStorage.run per request, what any tracer
// that follows context across `await` costs at the least. A tracer is judged on what it adds above that.

/** routing-controllers + Express, served by bench/apps/http-app. */
export const EXPRESS_VARIANTS = [
  'untraced',
  'als-only',
  'middleware-unsampled',
  'traced-controller-unsampled',
  'middleware',
  'traced-controller',
  'opentelemetry',
] as const;
/** Koa + @koa/router, served by bench/apps/koa-app. */
export const KOA_VARIANTS = ['koa-untraced', 'koa-als-only', 'koa-unsampled', 'koa'] as const;
export const HTTP_VARIANTS = [...EXPRESS_VARIANTS, ...KOA_VARIANTS] as const;
export type HttpVariant = (typeof HTTP_VARIANTS)[number];

const isKoa = (variant: string) => variant.startsWith('koa');

/** The app file (in build/bench/apps) that serves `variant`. */
export const appOf = (variant: string) => (isKoa(variant) ? 'koa-app.js' : 'http-app.js');
/** The floor `variant` is judged against: its framework's AsyncLocalStorage-only variant. */
export const floorOf = (variant: string): HttpVariant => (isKoa(variant) ? 'koa-als-only' : 'als-only');
/** Its framework's app without tracing. */
export const untracedOf = (variant: string): HttpVariant => (isKoa(variant) ? 'koa-untraced' : 'untraced');

export interface HttpTarget {
  name: string;
  /** The least share of the floor each variant must keep, by CPU per request (req/s shown beside it). */
  minOfFloor: number;
  variants: { variant: HttpVariant; label: string }[];
}

/** The targets: the Express middleware, `@TracedController` and Koa, unsampled and 100 % sampled. */
export const HTTP_TARGETS: HttpTarget[] = [
  {
    name: 'HTTP unsampled',
    minOfFloor: 0.97,
    variants: [
      { variant: 'middleware-unsampled', label: 'Express middleware' },
      { variant: 'traced-controller-unsampled', label: '`@TracedController`' },
      { variant: 'koa-unsampled', label: 'Koa middleware' },
    ],
  },
  {
    name: 'HTTP 100 % sampled (two spans per request reported over UDP)',
    minOfFloor: 0.9,
    variants: [
      { variant: 'middleware', label: 'Express middleware' },
      { variant: 'traced-controller', label: '`@TracedController`' },
      { variant: 'koa', label: 'Koa middleware' },
    ],
  },
];
