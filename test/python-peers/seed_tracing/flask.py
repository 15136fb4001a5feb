"""Flask request hooks in the seed's style: one server span per request, from before_request to after_request."""
from flask import g, request
from opentracing.ext import tags
from werkzeug.exceptions import HTTPException

from . import TAG_TRACE_ID, extract_context, hex_trace_id, log_error


def before_request_trace(tracer):
    # Werkzeug spells header names its own way ('Uber-Trace-Id'); jaeger_client compares lower-case names.
    headers = {name.lower(): value for name, value in request.headers.items()}
    scope = tracer.start_active_span(request.endpoint or request.path, child_of=extract_context(tracer, headers))
    span = scope.span
    span.set_tag(tags.COMPONENT, 'Flask')
    span.set_tag(TAG_TRACE_ID, hex_trace_id(span))
    span.set_tag(tags.HTTP_METHOD, request.method)
    span.set_tag(tags.HTTP_URL, request.base_url)
    span.set_tag(tags.SPAN_KIND, tags.SPAN_KIND_RPC_SERVER)
    g.trace_scope = scope


def error_trace(error):
    """Records an exception on the request's span; the span stays open until the 500 response is made."""
    scope = g.get('trace_scope')
    if scope is not None:
        log_error(scope.span, error, dict(request.headers), request.args.to_dict(), request.get_data(as_text=True))


def after_request_trace(response):
    scope = g.pop('trace_scope', None)
    if scope is not None:
        scope.span.set_tag(tags.HTTP_STATUS_CODE, response.status_code)
        response.headers['x-trace-id'] = hex_trace_id(scope.span)
        scope.close()
    return response


def teardown_request_trace(error=None):
    # after_request is skipped when Flask could not make a response at all: never leave the span open.
    scope = g.pop('trace_scope', None)
    if scope is not None:
        if error is not None:
            error_trace(error)
        scope.close()


def install(app, tracer):
    """Registers the hooks the way the seed's README does by hand."""
    app.before_request(lambda: before_request_trace(tracer))
    app.after_request(after_request_trace)
    app.teardown_request(teardown_request_trace)

    @app.errorhandler(Exception)
    def exception_trace(error):
        if isinstance(error, HTTPException):
            # A 404 or 405 is an answer, not a failure of this service.
            return error
        error_trace(error)
        # Re-raised, Flask logs it ("Exception on ...", which the ErrorTraceHandler turns into a span) and
        # answers 500, which after_request_trace still sees while the span is open.
        raise error
