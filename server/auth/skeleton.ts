import unhomoglyph from "unhomoglyph";
import { nicknameKey } from "../../common/names";

/**
 * The UTS #39 confusable skeleton of a nickname's key: NFD, each character mapped by the
 * Unicode confusables data (unhomoglyph ships confusables.txt as data), NFD again. Two
 * nicknames with one skeleton (`paypal`, `pаypal` with a Cyrillic а) are one nickname for
 * holding. Taken of the NFKC + case-folded key, so it is never finer than `nicknameKey`.
 */
export function skeletonKey(name: string): string {
  return unhomoglyph(nicknameKey(name).normalize("NFD")).normalize("NFD");
}
