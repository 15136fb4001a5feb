import { requirePeers } from '../internal/required-peers';

requirePeers('jaeger-decorators/routing-controllers', ['routing-controllers']);
