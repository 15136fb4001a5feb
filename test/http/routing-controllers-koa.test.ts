import { routingControllersKoaApp } from './apps/routing-controllers-app';
import { routingControllersSuite } from './routing-controllers-suite';

routingControllersSuite('Koa', routingControllersKoaApp);
