// wafv2's part of the model constraints (see lib/validation/aws-model.ts): imported
// by a module before its 'wafv2' look-ups.
import data from '@/models/console-constraints/wafv2.json';
import { provideConstraints } from '../aws-model';

provideConstraints('wafv2', data);
