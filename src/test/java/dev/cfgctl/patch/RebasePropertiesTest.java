package dev.cfgctl.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Rebase.Conflict;
import dev.cfgctl.patch.Rebase.Result;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link Rebase} over random documents (arbitrary JSON with keys such as {@code ~},
 * {@code /} and {@code 0}, and landing pages) and random concurrent patches A (theirs, as a chain
 * of revisions) and B (yours), both written against the same document.
 */
class RebasePropertiesTest {

  // ================================================================ properties

  /**
   * When neither rebase reports a conflict, both orders give one document: A then B rebased over A
   * equals B then A rebased over B. The two sides never insert into the same array (so the order of
   * two inserts at one index, which "yours after theirs" decides differently in the two directions,
   * does not come up; {@link #insertsIntoOneArrayKeepBothAndYoursGoAfterTheirs} covers that).
   */
  @Property(tries = 400)
  void nonConflictingEditsConvergeInBothOrders(@ForAll long seed) {
    Random r = new Random(seed);
    JsonNode d = document(r);
    JsonPointer hot = hotSpot(d, r);
    Editor a = new Editor(d, 0, "A", r).around(hot);
    List<Patch> chain = a.chain(1 + r.nextInt(4));
    Patch b = new Editor(d, 1, "B", r).around(hot).edits(1 + r.nextInt(3));
    checkConvergence(d, chain, a.doc, b);
  }

  /**
   * The case collaborative editing is about: theirs insert, remove, move and replace elements of an
   * array (sections of a page) while yours edits inside elements. Yours follows the elements it
   * edits, or conflicts where theirs removed or replaced one.
   */
  @Property(tries = 300)
  void editsInsideElementsFollowConcurrentInsertsRemovesAndMoves(@ForAll long seed) {
    Random r = new Random(seed);
    JsonNode d = PatchPropertiesTest.landingPage(r);
    JsonPointer sections =
        JsonPointer.parse("/pages/" + r.nextInt(d.get("pages").size()) + "/sections");
    int size = get(d, sections).size();
    if (size == 0) return;
    Editor a = new Editor(d, 0, "A", r).around(sections);
    List<Patch> chain = new ArrayList<>();
    for (int k = 1 + r.nextInt(4); k > 0; k--) chain.add(a.restructure(sections, 1 + r.nextInt(2)));
    Editor b =
        new Editor(d, 1, "B", r)
            .around(sections)
            .near(sections.append(Integer.toString(r.nextInt(size))));

    boolean transformed = checkConvergence(d, chain, a.doc, b.edits(1 + r.nextInt(3)));

    Statistics.label("yours transformed").collect(transformed);
    Statistics.label("yours transformed").coverage(c -> c.check(true).percentage(p -> p >= 20));
  }

  /**
   * Rebases each way; when neither conflicts, both orders must give one document. Returns whether
   * yours ({@code b}) was merged and changed by the rebase.
   */
  private static boolean checkConvergence(JsonNode d, List<Patch> chain, JsonNode afterA, Patch b) {
    JsonNode afterB = JsonPatch.apply(d, b).document();

    Result bOverA = rebase(b, chain, afterA, d);
    Result aOverB = rebase(concat(chain), List.of(b), afterB, d);

    checkWellFormed(bOverA, chain.size());
    checkWellFormed(aOverB, 1);
    boolean merged = !bOverA.hasConflicts() && !aOverB.hasConflicts();
    Statistics.label("both rebases succeed").collect(merged);
    if (!merged) return false;
    JsonNode ab = JsonPatch.apply(afterA, bOverA.patch()).document();
    JsonNode ba = JsonPatch.apply(afterB, aOverB.patch()).document();
    assertThat(ab)
        .as("d = %s%nA = %s%nB = %s%nB' = %s%nA' = %s", d, chain, b, bOverA.patch(), aOverB.patch())
        .isEqualTo(ba);
    // the chain rebases like the one patch it adds up to
    assertThat(
            JsonPatch.apply(afterA, Rebase.rebase(b, List.of(concat(chain)), afterA).patch())
                .document())
        .isEqualTo(ab);
    return !bOverA.patch().equals(b);
  }

  /**
   * Edits that touch one place — a replace of a value, and a replace, remove, test or change inside
   * it, or a replace of its parent — are always reported as conflicts, wherever earlier edits on
   * either side have moved that value.
   */
  @Property(tries = 400)
  void overlappingEditsAlwaysConflict(@ForAll long seed) {
    Random r = new Random(seed);
    JsonNode d = document(r);
    List<JsonPointer> pointers = pointers(d);
    pointers.remove(JsonPointer.ROOT);
    JsonPointer place = pointers.get(r.nextInt(pointers.size()));
    Editor a = new Editor(d, -1, "A", r);
    Editor b = new Editor(d, -1, "B", r);
    Place placeInA = Place.of(a.doc, place);
    Place placeInB = Place.of(b.doc, place);
    if (placeInA == null) return; // a scalar in an array: no way to find it again after edits

    List<Patch> chain = new ArrayList<>(a.chain(r.nextInt(3)));
    List<PatchOp> before = new ArrayList<>(b.edits(r.nextInt(3)).ops());
    JsonPointer inA = placeInA.in(a.doc);
    JsonPointer inB = placeInB.in(b.doc);
    Statistics.label("the place survived the edits before").collect(inA != null && inB != null);
    if (inA == null || inB == null) return;
    PatchOp theirs = PatchOp.replace(inA, a.fresh());
    PatchOp yours = overlapping(b, inB, r);
    if (yours == null || !a.apply(theirs) || !b.apply(yours)) return;
    chain.add(new Patch(List.of(theirs)));
    chain.addAll(a.chain(r.nextInt(2)));
    before.add(yours);
    before.addAll(b.edits(r.nextInt(2)).ops());
    Patch mine = new Patch(before);

    Result bOverA = rebase(mine, chain, a.doc, d);
    Result aOverB = rebase(concat(chain), List.of(mine), b.doc, d);

    Statistics.label("overlap").collect(yours.op().label());
    assertThat(bOverA.conflicts()).as("d = %s%nA = %s%nB = %s", d, chain, mine).isNotEmpty();
    checkWellFormed(bOverA, chain.size());
    if (yours.op()
        != PatchOp.Kind.TEST) { // their tests held when they were accepted; only yours count
      assertThat(aOverB.conflicts())
          .as("A over B: d = %s%nA = %s%nB = %s", d, chain, mine)
          .isNotEmpty();
    }
  }

  /** Any rebase of edits against one document either reports well-formed conflicts or applies. */
  @Property(tries = 400)
  void rebaseEitherConflictsOrYieldsAPatchThatApplies(@ForAll long seed) {
    Random r = new Random(seed);
    JsonNode d = document(r);
    JsonPointer hot = hotSpot(d, r);
    Editor a = new Editor(d, -1, "A", r).around(hot);
    List<Patch> chain = a.chain(r.nextInt(6));
    Patch b = new Editor(d, -1, "B", r).around(hot).edits(1 + r.nextInt(4));

    Result result = rebase(b, chain, a.doc, d);

    checkWellFormed(result, chain.size());
    Statistics.label("conflict").collect(result.hasConflicts());
    if (!result.hasConflicts()) JsonPatch.apply(a.doc, result.patch());
  }

  /**
   * Inserts into one array by both sides never conflict and keep every element where its side put
   * it — after the same original element — with theirs first where both chose the same place.
   */
  @Property(tries = 300)
  void insertsIntoOneArrayKeepBothAndYoursGoAfterTheirs(@ForAll long seed) {
    Random r = new Random(seed);
    ArrayNode d = Json.NODES.arrayNode();
    for (int i = r.nextInt(6); i > 0; i--) d.add(i);
    List<Patch> chain = new ArrayList<>();
    JsonNode afterA = d;
    for (int k = 1 + r.nextInt(3); k > 0; k--) {
      Patch p = inserts(afterA, "A", r);
      chain.add(p);
      afterA = JsonPatch.apply(afterA, p).document();
    }
    Patch b = inserts(d, "B", r);
    JsonNode afterB = JsonPatch.apply(d, b).document();

    Result result = Rebase.rebase(b, chain, afterA);

    assertThat(result.conflicts()).isEmpty();
    JsonNode merged = JsonPatch.apply(afterA, result.patch()).document();
    assertThat(merged.size()).isEqualTo(afterA.size() + afterB.size() - d.size());
    for (JsonNode v : merged) {
      if (!v.isTextual()) continue;
      JsonNode own = v.textValue().startsWith("A") ? afterA : afterB;
      assertThat(originalBefore(merged, v))
          .as("%s in %s (A: %s, B: %s)", v, merged, afterA, afterB)
          .isEqualTo(originalBefore(own, v));
    }
    for (int i = 1; i < merged.size(); i++) {
      boolean aAfterB =
          merged.get(i).asText().startsWith("A") && merged.get(i - 1).asText().startsWith("B");
      assertThat(aAfterB).as("theirs before yours at one place: %s", merged).isFalse();
    }
  }

  // ================================================================ helpers

  /**
   * Rebases a patch that applies to {@code d}: it must never be refused, and what it returns must
   * apply.
   */
  private static Result rebase(Patch yours, List<Patch> theirs, JsonNode current, JsonNode d) {
    String context = "\nd = " + d + "\ntheirs = " + theirs + "\nyours = " + yours;
    Result result;
    try {
      result = Rebase.rebase(yours, theirs, current);
    } catch (RuntimeException e) {
      throw new AssertionError(e + context, e);
    }
    if (!result.hasConflicts()) {
      try {
        JsonPatch.apply(current, result.patch());
      } catch (PatchFailedException e) {
        throw new AssertionError(
            "the rebased patch " + result.patch() + " does not apply: " + e.getMessage() + context,
            e);
      }
    }
    return result;
  }

  private static void checkWellFormed(Result result, int theirs) {
    for (Conflict c : result.conflicts()) {
      JsonPointer.parse(c.path());
      assertThat(c.theirsIndex()).isBetween(0, theirs - 1);
    }
  }

  private static Patch concat(List<Patch> patches) {
    List<PatchOp> ops = new ArrayList<>();
    for (Patch p : patches) ops.addAll(p.ops());
    return new Patch(ops);
  }

  /** An edit of {@code b} that overlaps its value at {@code p}: at it, inside it, or above it. */
  private static PatchOp overlapping(Editor b, JsonPointer p, Random r) {
    JsonNode at = get(b.doc, p);
    switch (r.nextInt(6)) {
      case 0:
        return PatchOp.replace(p, b.fresh());
      case 1:
        return PatchOp.remove(p);
      case 2:
        return PatchOp.test(p, at.deepCopy());
      case 3:
        return PatchOp.replace(p.parent(), b.fresh());
      default:
        if (at.isObject())
          return PatchOp.add(
              p.append(r.nextBoolean() || at.isEmpty() ? "new" : at.fieldNames().next()),
              b.fresh());
        if (at.isArray())
          return PatchOp.add(
              p.append(r.nextBoolean() ? "-" : Integer.toString(r.nextInt(at.size() + 1))),
              b.fresh());
        return PatchOp.replace(p, b.fresh());
    }
  }

  private static Patch inserts(JsonNode array, String side, Random r) {
    List<PatchOp> ops = new ArrayList<>();
    int size = array.size();
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      String at = r.nextInt(4) == 0 ? "-" : Integer.toString(r.nextInt(size + 1));
      ops.add(
          PatchOp.add(
              JsonPointer.ROOT.append(at), Json.NODES.textNode(side + r.nextInt(1_000_000))));
      size++;
    }
    return new Patch(ops);
  }

  /** The nearest original (numeric) element before {@code v}, or null. */
  private static JsonNode originalBefore(JsonNode array, JsonNode v) {
    JsonNode last = null;
    for (JsonNode e : array) {
      if (e.equals(v)) return last;
      if (e.isNumber()) last = e;
    }
    throw new AssertionError(v + " is missing from " + array);
  }

  // ================================================================ generators

  /**
   * Where both sides mostly edit, so they meet in one array often: an array (of 3 or more if any),
   * else the root.
   */
  static JsonPointer hotSpot(JsonNode d, Random r) {
    List<JsonPointer> arrays = new ArrayList<>();
    List<JsonPointer> longer = new ArrayList<>();
    for (JsonPointer p : pointers(d)) {
      JsonNode n = get(d, p);
      if (n.isArray()) (n.size() >= 3 ? longer : arrays).add(p);
    }
    if (!longer.isEmpty()) return longer.get(r.nextInt(longer.size()));
    return arrays.isEmpty() ? JsonPointer.ROOT : arrays.get(r.nextInt(arrays.size()));
  }

  private static final List<String> KEYS =
      List.of(
          "a", "b", "c", "id", "title", "~", "/", "a/b", "m~n", "~1", "0", "1", "-", "", " ",
          "\u00e9");

  static JsonNode document(Random r) {
    if (r.nextInt(3) == 0) return PatchPropertiesTest.landingPage(r);
    ObjectNode o = Json.NODES.objectNode();
    for (int i = 1 + r.nextInt(5); i > 0; i--) o.set(KEYS.get(r.nextInt(KEYS.size())), value(r, 3));
    return o;
  }

  private static JsonNode value(Random r, int depth) {
    switch (depth == 0 ? 3 + r.nextInt(3) : r.nextInt(6)) {
      case 0:
        {
          ObjectNode o = Json.NODES.objectNode();
          for (int i = r.nextInt(4); i > 0; i--)
            o.set(KEYS.get(r.nextInt(KEYS.size())), value(r, depth - 1));
          return o;
        }
      case 1:
      case 2:
        {
          ArrayNode a = Json.NODES.arrayNode();
          for (int i = r.nextInt(6); i > 0; i--) a.add(value(r, depth - 1));
          return a;
        }
      case 3:
        return Json.NODES.numberNode(r.nextInt(4));
      case 4:
        return Json.NODES.textNode("s" + r.nextInt(3));
      default:
        return r.nextBoolean() ? Json.NODES.booleanNode(r.nextBoolean()) : Json.NODES.nullNode();
    }
  }

  /**
   * Writes a patch against a document, applying each random operation as it goes. With a side (0 or
   * 1), it inserts only into arrays that are new or that the side owns (by their pointer in the
   * original document: side 0 owns the one both edit {@link #around}, the rest go by a hash), so
   * two sides never insert into one array.
   */
  static final class Editor {
    JsonNode doc;
    private final Random r;
    private final int side;
    private final String name;
    private final Map<JsonNode, String> originalArrays = new IdentityHashMap<>();
    private int count;
    private JsonPointer near = JsonPointer.ROOT;
    private JsonPointer hot = JsonPointer.ROOT;

    Editor(JsonNode original, int side, String name, Random r) {
      this.doc = original.deepCopy();
      this.side = side;
      this.r = r;
      this.name = name;
      for (JsonPointer p : pointers(doc)) {
        JsonNode n = get(doc, p);
        if (n.isArray()) originalArrays.put(n, p.toString());
      }
    }

    /** Edits mostly at {@code p}, an array both sides edit, which side 0 owns. */
    Editor around(JsonPointer p) {
      hot = p;
      near = p;
      return this;
    }

    /**
     * Picks most pointers below {@code p} (as it was in the original document), or p itself for an
     * insert.
     */
    Editor near(JsonPointer p) {
      near = p;
      return this;
    }

    /**
     * A patch of {@code n} inserts, removes, moves and replaces of elements of the array at {@code
     * array}.
     */
    Patch restructure(JsonPointer array, int n) {
      List<PatchOp> ops = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int size = get(doc, array).size();
        JsonPointer some = array.append(Integer.toString(r.nextInt(Math.max(1, size))));
        JsonPointer place =
            array.append(r.nextInt(4) == 0 ? "-" : Integer.toString(r.nextInt(size + 1)));
        PatchOp op =
            switch (size == 0 ? 0 : r.nextInt(6)) {
              case 0, 1 -> PatchOp.add(place, Json.NODES.objectNode().put("id", name + count++));
              case 2 -> PatchOp.remove(some);
              case 3 -> PatchOp.replace(some, fresh());
              default -> PatchOp.move(some, array.append(Integer.toString(r.nextInt(size))));
            };
        if (apply(op)) ops.add(op);
      }
      return new Patch(ops);
    }

    private JsonPointer pick(List<JsonPointer> all, boolean container) {
      if (r.nextInt(4) > 0) {
        List<JsonPointer> close = new ArrayList<>();
        for (JsonPointer p : all)
          if (p.startsWith(near) && (container || !p.equals(near))) close.add(p);
        if (!close.isEmpty()) return close.get(r.nextInt(close.size()));
      }
      return all.get(r.nextInt(all.size()));
    }

    JsonNode fresh() {
      String v = name + (count++);
      switch (r.nextInt(3)) {
        case 0:
          return Json.NODES.textNode(v);
        case 1:
          return Json.NODES.objectNode().put("v", v);
        default:
          return Json.NODES.arrayNode().add(v);
      }
    }

    List<Patch> chain(int patches) {
      List<Patch> chain = new ArrayList<>();
      for (int i = 0; i < patches; i++) chain.add(edits(1 + r.nextInt(2)));
      return chain;
    }

    Patch edits(int n) {
      List<PatchOp> ops = new ArrayList<>();
      for (int attempt = 0; ops.size() < n && attempt < 10 * n; attempt++) {
        PatchOp op = randomOp();
        if (op != null && apply(op)) ops.add(op);
      }
      return new Patch(ops);
    }

    boolean apply(PatchOp op) {
      try {
        doc = JsonPatch.applyInPlace(doc, new Patch(List.of(op))).document();
        return true;
      } catch (PatchFailedException e) {
        return false;
      }
    }

    private PatchOp randomOp() {
      List<JsonPointer> all = pointers(doc);
      JsonPointer p = pick(all, false);
      boolean root = p.isRoot();
      switch (r.nextInt(8)) {
        case 0:
        case 1:
          return root && r.nextInt(10) > 0 ? null : PatchOp.replace(p, fresh());
        case 2:
          return root ? null : PatchOp.remove(p);
        case 3:
        case 4:
          {
            JsonPointer t = target(all);
            return t == null ? null : PatchOp.add(t, fresh());
          }
        case 5:
          {
            JsonPointer t = target(all);
            return t == null || root ? null : PatchOp.move(p, t);
          }
        case 6:
          {
            JsonPointer t = target(all);
            return t == null ? null : PatchOp.copy(p, t);
          }
        default:
          return PatchOp.test(p, get(doc, p).deepCopy());
      }
    }

    /**
     * Where to add something: a member of an object (new or not), or a place in an array we may
     * insert into.
     */
    private JsonPointer target(List<JsonPointer> all) {
      JsonPointer c = pick(all, true);
      JsonNode n = get(doc, c);
      if (n.isObject()) {
        return c.append(
            n.isEmpty() || r.nextBoolean()
                ? KEYS.get(r.nextInt(KEYS.size()))
                : n.fieldNames().next());
      }
      if (!n.isArray()) return null;
      String owner = originalArrays.get(n);
      // side 0 owns the array both mostly edit, so side 1's edits there are shifted by its inserts
      int ownedBy = owner == null ? side : owner.equals(hot.toString()) ? 0 : owner.hashCode() & 1;
      if (side >= 0 && ownedBy != side) return null;
      return c.append(r.nextInt(4) == 0 ? "-" : Integer.toString(r.nextInt(n.size() + 1)));
    }
  }

  static List<JsonPointer> pointers(JsonNode doc) {
    List<JsonPointer> out = new ArrayList<>();
    collect(doc, JsonPointer.ROOT, out);
    return out;
  }

  private static void collect(JsonNode n, JsonPointer at, List<JsonPointer> out) {
    out.add(at);
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(e.getValue(), at.append(e.getKey()), out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) collect(n.get(i), at.append(Integer.toString(i)), out);
    }
  }

  static JsonNode get(JsonNode doc, JsonPointer p) {
    JsonNode n = doc;
    for (String t : p.tokens()) {
      n = n.isArray() ? n.get(JsonPointer.index(t)) : n.get(t);
      if (n == null) return null;
    }
    return n;
  }

  /**
   * A place in the original document, found again after edits: a container by identity, a member by
   * its object and name.
   */
  private record Place(JsonNode node, JsonNode object, String key) {
    static Place of(JsonNode doc, JsonPointer p) {
      JsonNode n = get(doc, p);
      if (n.isContainerNode()) return new Place(n, null, null);
      JsonNode parent = get(doc, p.parent());
      return parent.isObject() ? new Place(null, parent, p.last()) : null;
    }

    JsonPointer in(JsonNode doc) {
      if (node != null) return find(doc, node);
      JsonPointer o = find(doc, object);
      return o == null || !object.has(key) ? null : o.append(key);
    }
  }

  /** Where the very node {@code target} is in {@code doc}, or null. */
  private static JsonPointer find(JsonNode doc, JsonNode target) {
    for (JsonPointer p : pointers(doc)) if (get(doc, p) == target) return p;
    return null;
  }
}
