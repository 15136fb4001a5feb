import { isHttpToken } from '../internal/config-checks';

// W3C Baggage (https://www.w3.org/TR/baggage/): `baggage: key=value;property,key2=value2`, values
// percent-encoded. OpenTelemetry's default propagators send and read it.

/** Limits from the spec: a header of at most 8192 bytes and 180 list members. */
export const MAX_BAGGAGE_LENGTH = 8192;
export const MAX_BAGGAGE_MEMBERS = 180;

/**
 * The items of a `baggage` header, with their values still percent-encoded (the Jaeger codec decodes them as
 * it decodes `uberctx-*` values). Malformed members are skipped; a header over the size limit is ignored.
 */
export function parseW3CBaggage(value: string): Array<[key: string, encodedValue: string]> {
  if (value.length > MAX_BAGGAGE_LENGTH) return [];
  const items: Array<[string, string]> = [];
  for (const member of value.split(',')) {
    if (items.length === MAX_BAGGAGE_MEMBERS) break;
    const [pair] = member.split(';'); // properties (`;prop=x`) have no Jaeger equivalent
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const key = pair.slice(0, equals).trim();
    const encodedValue = pair.slice(equals + 1).trim();
    if (isHttpToken(key)) items.push([key, encodedValue]);
  }
  return items;
}

/** A `baggage` header for `items`, or undefined when there is nothing to send within the limits. */
export function formatW3CBaggage(items: Record<string, string>): string | undefined {
  const members: string[] = [];
  let length = 0;
  for (const [key, value] of Object.entries(items)) {
    if (!isHttpToken(key) || members.length === MAX_BAGGAGE_MEMBERS) continue;
    const member = `${key}=${encodeURIComponent(value)}`;
    if (length + member.length + 1 > MAX_BAGGAGE_LENGTH) continue;
    members.push(member);
    length += member.length + 1;
  }
  return members.length === 0 ? undefined : members.join(',');
}
