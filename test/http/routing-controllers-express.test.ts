import { routingControllersExpressApp } from './apps/routing-controllers-app';
import { shopExpressApp } from './apps/shop-app';
import { routingControllersRouting } from './routing-controllers-routing';
import { routingControllersSuite } from './routing-controllers-suite';

routingControllersSuite('Express', routingControllersExpressApp);
routingControllersRouting({ driver: 'Express', app: shopExpressApp, appForBodyErrors: shopExpressApp });
