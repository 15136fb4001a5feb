"""Django middleware in the seed's style: the span starts once the view is known, so it is named after it."""
from django.conf import settings
from django.utils.deprecation import MiddlewareMixin
from opentracing.ext import tags

from . import TAG_TRACE_ID, extract_context, hex_trace_id, init_tracer, log_error


def request_headers(request):
    """Header names as jaeger_client compares them, from the WSGI environ ('HTTP_TRACE_ID' -> 'trace-id')."""
    return {
        key[5:].lower().replace('_', '-'): value
        for key, value in request.META.items()
        if key.startswith('HTTP_')
    }


class OpenTracingMiddleware(MiddlewareMixin):
    def __init__(self, get_response):
        super().__init__(get_response)
        # Django builds its middleware once, at start-up: the tracer lives as long as the process.
        self.tracer = init_tracer(settings.SERVICE_NAME, settings.OPENTRACING_TRACER_CONFIG)

    def process_view(self, request, view_func, view_args, view_kwargs):
        scope = self.tracer.start_active_span(
            view_func.__name__, child_of=extract_context(self.tracer, request_headers(request)))
        span = scope.span
        span.set_tag(tags.COMPONENT, 'Django')
        span.set_tag(TAG_TRACE_ID, hex_trace_id(span))
        span.set_tag(tags.SPAN_KIND, tags.SPAN_KIND_RPC_SERVER)
        span.set_tag(tags.HTTP_METHOD, request.method)
        span.set_tag(tags.HTTP_URL, request.get_full_path())
        request.trace_scope = scope

    def process_exception(self, request, exception):
        # Only record here: Django logs the exception and makes the 500 after this, still inside the span.
        scope = getattr(request, 'trace_scope', None)
        if scope is not None:
            log_error(scope.span, exception, request_headers(request), request.GET.dict(), request.POST.dict())

    def process_response(self, request, response):
        # A request whose URL matched no view never reached process_view and has no span (as in the seed).
        scope = getattr(request, 'trace_scope', None)
        if scope is not None:
            del request.trace_scope
            scope.span.set_tag(tags.HTTP_STATUS_CODE, response.status_code)
            response['x-trace-id'] = hex_trace_id(scope.span)
            scope.close()
        return response
