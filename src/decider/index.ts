export {
  type Decider,
  defineDecider,
  defineResultDecider,
  type Fold,
  fold,
  type ResultDecider,
} from './decider.ts';
export { DeciderSpecification, type Then } from './testing.ts';
