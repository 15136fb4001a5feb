import { routingControllersKoaApp } from './apps/routing-controllers-app';
import { shopKoaApp } from './apps/shop-app';
import { routingControllersRouting } from './routing-controllers-routing';
import { routingControllersSuite } from './routing-controllers-suite';

routingControllersSuite('Koa', routingControllersKoaApp);
routingControllersRouting({ driver: 'Koa', app: () => shopKoaApp(), appForBodyErrors: () => shopKoaApp({ withMiddleware: true }) });
