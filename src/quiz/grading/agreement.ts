import { GRADES, type Grade } from '../types.ts';

/** confusion[expected][actual]: how many answers graded `expected` were suggested `actual`. */
type ConfusionMatrix = Record<Grade, Record<Grade, number>>;

export interface Agreement {
  n: number;
  /** Share of pairs where both grades are equal, 0 to 1. */
  agreement: number;
  /** Cohen's kappa: agreement beyond what the two graders' grade frequencies give by chance. */
  kappa: number;
  confusion: ConfusionMatrix;
}

function emptyMatrix(): ConfusionMatrix {
  const row = () => Object.fromEntries(GRADES.map((grade) => [grade, 0])) as Record<Grade, number>;
  return Object.fromEntries(GRADES.map((grade) => [grade, row()])) as ConfusionMatrix;
}

export function agreement(pairs: readonly { expected: Grade; actual: Grade }[]): Agreement {
  const confusion = emptyMatrix();
  for (const { expected, actual } of pairs) confusion[expected][actual] += 1;
  const n = pairs.length;
  if (n === 0) return { n, agreement: 0, kappa: 0, confusion };
  const observed = GRADES.reduce((sum, grade) => sum + confusion[grade][grade], 0) / n;
  const byChance = GRADES.reduce((sum, grade) => {
    const expectedShare = GRADES.reduce((total, other) => total + confusion[grade][other], 0) / n;
    const actualShare = GRADES.reduce((total, other) => total + confusion[other][grade], 0) / n;
    return sum + expectedShare * actualShare;
  }, 0);
  // Both graders used one single grade throughout: kappa is undefined; call full agreement 1.
  const kappa = byChance === 1 ? (observed === 1 ? 1 : 0) : (observed - byChance) / (1 - byChance);
  return { n, agreement: observed, kappa, confusion };
}
