"""The Django peer's routes, the same as the Flask peers': /health, /hop?next=URL, /fail, /chain/, /good/ and /error/."""
import logging

import opentracing
from django.http import HttpResponse, JsonResponse
from django.urls import path
from opentracing_instrumentation.client_hooks.requests import install_patches

import peer_common
import seed_tracing
from seed_tracing.log_handler import ErrorTraceHandler

# As in the seed's Django example: outgoing calls carry the trace, error logs become spans.
install_patches()
logging.getLogger().setLevel(logging.INFO)
logging.getLogger().handlers = [logging.StreamHandler(), ErrorTraceHandler()]


def health(request):
    return HttpResponse('ok')


def hop(request):
    next_url = request.GET.get('next')
    downstream = peer_common.call_next(next_url) if next_url else None
    trace_id = seed_tracing.hex_trace_id(opentracing.global_tracer().active_span)
    trace_headers = peer_common.trace_header_names(request.headers)
    return JsonResponse({'service': peer_common.SERVICE, 'trace_id': trace_id, 'trace_headers': trace_headers, 'downstream': downstream})


def fail(request):
    peer_common.fail()


def chain(request):
    return JsonResponse(peer_common.relay('/chain/'))


def good(request):
    return JsonResponse(peer_common.relay('/good/'))


def error(request):
    return JsonResponse(peer_common.relay('/error/'))


urlpatterns = [
    path('health', health),
    path('hop', hop),
    path('fail', fail),
    path('chain/', chain),
    path('good/', good),
    path('error/', error),
]
