import { routingControllersExpressApp } from './apps/routing-controllers-app';
import { routingControllersSuite } from './routing-controllers-suite';

routingControllersSuite('Express', routingControllersExpressApp);
