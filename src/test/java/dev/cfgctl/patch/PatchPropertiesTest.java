package dev.cfgctl.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of diff, apply, inverse and merge patch over generated documents: arbitrary JSON
 * (unicode keys with {@code ~} and {@code /}, exact number texts, big integers), landing-page-like
 * configs whose sections carry ids, and large arrays edited at random.
 */
class PatchPropertiesTest {
  private static final DiffOptions DEFAULT = DiffOptions.DEFAULT;
  private static final List<DiffOptions> ALL_OPTIONS =
      List.of(
          DEFAULT,
          DEFAULT.withMoves(false),
          DEFAULT.withTests(true),
          DEFAULT.withTests(true).withMoves(false));

  /** Two documents: the diff goes from {@code a} to {@code b}. */
  record Pair(JsonNode a, JsonNode b) {
    @Override
    public String toString() {
      return "a = " + safeText(a) + "\nb = " + safeText(b);
    }
  }

  // ================================================================ properties: diff and apply

  @Property(tries = 250)
  void applyingTheDiffYieldsTheTarget(@ForAll("pairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) assertDiffApplies(pair, options);
  }

  @Property(tries = 150)
  void applyingTheDiffYieldsTheTargetForLandingPages(@ForAll("landingPairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) assertDiffApplies(pair, options);
  }

  @Property(tries = 80)
  void applyingTheDiffYieldsTheTargetForLargeArrays(@ForAll("largeArrayPairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) assertDiffApplies(pair, options);
  }

  @Property(tries = 250)
  void inverseOfTheDiffRestoresTheSource(@ForAll("pairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) assertInverseRestores(pair, options);
  }

  @Property(tries = 150)
  void inverseOfTheDiffRestoresTheSourceForLandingPages(@ForAll("landingPairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) assertInverseRestores(pair, options);
  }

  @Property(tries = 80)
  void inverseOfTheDiffRestoresTheSourceForLargeArrays(@ForAll("largeArrayPairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) assertInverseRestores(pair, options);
  }

  @Property(tries = 300)
  void diffOfADocumentWithItselfIsEmpty(@ForAll("documents") JsonNode doc) {
    assertThat(JsonDiff.diff(doc, doc).ops()).isEmpty();
    assertThat(JsonDiff.diff(doc, doc.deepCopy()).ops()).isEmpty();
    assertThat(JsonDiff.diff(doc, Json.parse(Json.compact(doc)), DEFAULT.withTests(true)).ops())
        .isEmpty();
  }

  @Property(tries = 200)
  void withTestsPutsATestBeforeEveryReplaceRemoveAndMove(@ForAll("pairs") Pair pair) {
    List<PatchOp> ops = JsonDiff.diff(pair.a(), pair.b(), DEFAULT.withTests(true)).ops();
    List<PatchOp> plain = JsonDiff.diff(pair.a(), pair.b()).ops();

    for (int i = 0; i < ops.size(); i++) {
      PatchOp op = ops.get(i);
      JsonPointer guarded =
          switch (op.op()) {
            case REPLACE, REMOVE -> op.path();
            case MOVE -> op.from();
            default -> null;
          };
      if (guarded == null) continue;
      assertThat(i).as("a test precedes op %d (%s)", i, op.describe()).isPositive();
      PatchOp before = ops.get(i - 1);
      assertThat(before.op()).as("op before %s", op.describe()).isEqualTo(PatchOp.Kind.TEST);
      assertThat(before.path()).as("the test before %s", op.describe()).isEqualTo(guarded);
    }
    assertThat(ops.stream().filter(op -> op.op() != PatchOp.Kind.TEST).toList())
        .as("--with-tests only adds tests")
        .isEqualTo(plain);
  }

  @Property(tries = 200)
  void patchSurvivesARoundTripThroughJson(@ForAll("pairs") Pair pair) {
    for (DiffOptions options : ALL_OPTIONS) {
      Patch p = JsonDiff.diff(pair.a(), pair.b(), options);

      assertThat(Patch.fromJson(p.toJson())).isEqualTo(p);
      assertThat(Patch.fromJson(Json.parse(Json.compact(p.toJson())))).isEqualTo(p);
      assertThat(Patch.fromJson(Json.parse(Json.write(p.toJson(), true)))).isEqualTo(p);
    }
  }

  @Property(tries = 200)
  void documentSurvivesARoundTripThroughText(@ForAll("documents") JsonNode doc) {
    String compact = Json.compact(doc);

    assertThat(Json.parse(compact)).isEqualTo(doc);
    assertThat(Json.compact(Json.parse(compact))).isEqualTo(compact);
    assertThat(Json.parse(Json.write(doc, true))).isEqualTo(doc);
  }

  @Property(tries = 400)
  void failedPatchLeavesTheDocumentUnchangedAndASuccessfulOneIsUndoneByItsInverse(
      @ForAll("documents") JsonNode doc, @ForAll long seed) {
    Patch p = randomPatch(doc, new Random(seed));
    JsonNode target = doc.deepCopy();

    JsonPatch.Applied applied;
    try {
      applied = JsonPatch.applyInPlace(target, p);
    } catch (PatchFailedException e) {
      assertThat(e.opIndex()).isBetween(0, p.size() - 1);
      assertThat(e.op()).isEqualTo(p.ops().get(e.opIndex()));
      assertThat(e.getMessage()).startsWith("op " + e.opIndex() + " (" + e.op().describe() + "): ");
      assertSameValue(target, doc, "document after " + e.getMessage() + "\npatch " + p);
      assertThatThrownBy(() -> JsonPatch.apply(doc, p))
          .isInstanceOf(PatchFailedException.class)
          .hasMessage(e.getMessage());
      return;
    }
    assertSameValue(
        JsonPatch.apply(doc, p).document(),
        applied.document(),
        "apply() vs applyInPlace()\npatch " + p);
    assertSameValue(
        JsonPatch.apply(applied.document(), applied.inverse()).document(),
        doc,
        "inverse " + applied.inverse() + " of " + p);
  }

  // ================================================================ properties: small diffs

  @Property(tries = 300)
  void insertingOneElementIntoALargeArrayIsAtMostTwoOps(
      @ForAll @IntRange(min = 1, max = 5_000) int size,
      @ForAll("elementKinds") ElementKind kind,
      @ForAll long seed) {
    Random r = new Random(seed);
    ArrayNode a = largeArray(size, kind, r);
    ArrayNode b = a.deepCopy();
    b.insert(r.nextInt(size + 1), freshElement(kind, size, r));

    Patch p = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, p).document()).isEqualTo(b);
    assertThat(p.size()).as("ops for one insert: %s", brief(p)).isLessThanOrEqualTo(2);
  }

  @Property(tries = 300)
  void movingOneElementInALargeArrayIsAtMostTwoOps(
      @ForAll @IntRange(min = 1, max = 5_000) int size,
      @ForAll("elementKinds") ElementKind kind,
      @ForAll long seed) {
    Random r = new Random(seed);
    ArrayNode a = largeArray(size, kind, r);
    ArrayNode b = a.deepCopy();
    int from = r.nextInt(size);
    b.insert(r.nextInt(size), b.remove(from));

    Patch p = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, p).document()).isEqualTo(b);
    assertThat(p.size()).as("ops for one move: %s", brief(p)).isLessThanOrEqualTo(2);
  }

  @Property(tries = 200)
  void aFewEditsOfALargeArrayAreAFewOps(
      @ForAll @IntRange(min = 1, max = 5_000) int size,
      @ForAll("elementKinds") ElementKind kind,
      @ForAll @IntRange(min = 1, max = 5) int edits,
      @ForAll long seed) {
    Random r = new Random(seed);
    ArrayNode a = largeArray(size, kind, r);
    ArrayNode b = a.deepCopy();
    for (int e = 0; e < edits; e++) {
      int n = b.size();
      switch (n == 0 ? 0 : r.nextInt(4)) {
        case 0 -> b.insert(r.nextInt(n + 1), freshElement(kind, size + e, r));
        case 1 -> b.remove(r.nextInt(n));
        case 2 -> b.insert(r.nextInt(n), b.remove(r.nextInt(n)));
        default -> b.set(r.nextInt(n), freshElement(kind, size + e, r));
      }
    }

    Patch p = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, p).document()).isEqualTo(b);
    assertThat(p.size()).as("ops for %d edits: %s", edits, brief(p)).isLessThanOrEqualTo(2 * edits);
  }

  @Property(tries = 150)
  void movingOneSectionOfALandingPageIsOneMove(@ForAll long seed) {
    Random r = new Random(seed);
    ObjectNode a = landingPage(r);
    ArrayNode sections = (ArrayNode) a.get("pages").get(0).get("sections");
    if (sections.size() < 2) return;
    ObjectNode b = a.deepCopy();
    ArrayNode moved = (ArrayNode) b.get("pages").get(0).get("sections");
    int from = r.nextInt(moved.size());
    int to = (from + 1 + r.nextInt(moved.size() - 1)) % moved.size();
    moved.insert(to, moved.remove(from));

    Patch p = JsonDiff.diff(a, b);

    assertThat(p.ops()).extracting(PatchOp::op).containsExactly(PatchOp.Kind.MOVE);
    assertThat(JsonPatch.apply(a, p).document()).isEqualTo(b);
  }

  // ================================================================ properties: merge patch

  @Property(tries = 250)
  void mergePatchDiffRoundTripsWhenTheTargetHasNoNulls(@ForAll("pairs") Pair pair) {
    JsonNode b = withoutNulls(pair.b());

    JsonNode merge = MergePatch.diff(pair.a(), b);

    assertThat(MergePatch.apply(pair.a(), merge)).as("merge patch %s", merge).isEqualTo(b);
  }

  @Property(tries = 150)
  void mergePatchDiffRoundTripsForLandingPages(@ForAll("landingPairs") Pair pair) {
    JsonNode merge = MergePatch.diff(pair.a(), pair.b());

    assertThat(MergePatch.apply(pair.a(), merge)).as("merge patch %s", merge).isEqualTo(pair.b());
  }

  @Property(tries = 250)
  void mergePatchDiffEitherRoundTripsOrRefuses(@ForAll("pairs") Pair pair) {
    JsonNode merge;
    try {
      merge = MergePatch.diff(pair.a(), pair.b());
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage())
          .startsWith("a merge patch cannot set ")
          .endsWith(" to null (null means remove in RFC 7396)");
      assertThat(hasNullMember(pair.b())).as("refused although b has no null member").isTrue();
      return;
    }
    assertThat(MergePatch.apply(pair.a(), merge)).as("merge patch %s", merge).isEqualTo(pair.b());
  }

  @Property(tries = 200)
  void mergePatchNeverChangesItsInputs(@ForAll("pairs") Pair pair) {
    String a = Json.compact(pair.a());
    String b = Json.compact(pair.b());

    MergePatch.apply(pair.a(), pair.b());

    assertThat(Json.compact(pair.a())).isEqualTo(a);
    assertThat(Json.compact(pair.b())).isEqualTo(b);
  }

  // ================================================================ assertions

  private static void assertDiffApplies(Pair pair, DiffOptions options) {
    Patch p = JsonDiff.diff(pair.a(), pair.b(), options);
    JsonNode result;
    try {
      result = JsonPatch.apply(pair.a(), p).document();
    } catch (PatchFailedException e) {
      throw new AssertionError(
          "diff with " + options + " does not apply: " + e.getMessage() + "\npatch " + p, e);
    }
    assertSameValue(result, pair.b(), "apply(a, diff(a, b)) with " + options + "\npatch " + p);
    if (!options.moves()) {
      assertThat(p.ops())
          .extracting(PatchOp::op)
          .as("--no-moves")
          .doesNotContain(PatchOp.Kind.MOVE);
    }
  }

  private static void assertInverseRestores(Pair pair, DiffOptions options) {
    Patch p = JsonDiff.diff(pair.a(), pair.b(), options);
    JsonNode before = pair.a().deepCopy();
    JsonPatch.Applied applied = JsonPatch.apply(pair.a(), p);
    JsonNode result = applied.document().deepCopy();
    JsonNode undone;
    try {
      undone = JsonPatch.apply(applied.document(), applied.inverse()).document();
    } catch (PatchFailedException e) {
      throw new AssertionError(
          "inverse " + applied.inverse() + " of " + p + " does not apply: " + e.getMessage(), e);
    }
    assertSameValue(
        undone,
        pair.a(),
        "apply(apply(a, p), inverse) with "
            + options
            + "\npatch   "
            + p
            + "\ninverse "
            + applied.inverse());
    // apply copies what it changes (and shares the rest): neither input may change
    assertThat(pair.a()).as("a after apply(a, p)").isEqualTo(before);
    assertThat(applied.document())
        .as("apply(a, p) after applying the inverse to it")
        .isEqualTo(result);
  }

  /** Equality that reports a document which contains itself instead of overflowing the stack. */
  private static void assertSameValue(JsonNode actual, JsonNode expected, String what) {
    String text = safeText(actual);
    if (text.startsWith("<")) throw new AssertionError(what + ": the result " + text);
    assertThat(Json.parse(text)).as(what).isEqualTo(expected);
  }

  private static String safeText(JsonNode node) {
    try {
      return Json.compact(node);
    } catch (RuntimeException | StackOverflowError e) {
      return "<cannot be written, it contains itself>";
    }
  }

  private static String brief(Patch p) {
    String s = p.toString();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  // ================================================================ generators: arbitrary JSON

  private static final List<String> KEYS =
      List.of(
          "id",
          "a",
          "b",
          "c",
          "title",
          "~",
          "/",
          "~0",
          "~1",
          "a/b",
          "m~n",
          "~01",
          "",
          " ",
          "0",
          "1",
          "-",
          "\u00e9t\u00e9",
          "\u952e",
          "\ud83d\ude00",
          "k\"q",
          "back\\slash",
          "tab\t");
  private static final List<String> DECIMALS =
      List.of(
          "1.0",
          "1e5",
          "1E+5",
          "1e-7",
          "-0",
          "-0.0",
          "0.0",
          "2.50",
          "-1.5E10",
          "3.14159",
          "18446744073709551616",
          "-18446744073709551617",
          "123456789012345678901234567890",
          "9223372036854775808",
          "2147483648",
          "1",
          "0",
          "-1");
  private static final List<String> STRINGS =
      List.of(
          "",
          "x",
          "hello",
          "~",
          "/",
          "a/b~c",
          "\u00e9",
          "\ud83d\ude00 emoji",
          "line\nbreak",
          "\"quoted\"",
          "1");

  @Provide
  Arbitrary<JsonNode> documents() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, scalars()), Tuple.of(5, objects(3)), Tuple.of(2, arrays(3)));
  }

  @Provide
  Arbitrary<Pair> pairs() {
    Arbitrary<Pair> independent = Combinators.combine(documents(), documents()).as(Pair::new);
    Arbitrary<Pair> edited =
        Combinators.combine(documents(), Arbitraries.longs(), Arbitraries.integers().between(1, 6))
            .as((a, seed, edits) -> new Pair(a, mutate(a, new Random(seed), edits)));
    return Arbitraries.frequencyOf(Tuple.of(1, independent), Tuple.of(3, edited));
  }

  private Arbitrary<JsonNode> json(int depth) {
    if (depth == 0) return scalars();
    return Arbitraries.frequencyOf(
        Tuple.of(5, scalars()), Tuple.of(2, objects(depth - 1)), Tuple.of(2, arrays(depth - 1)));
  }

  private Arbitrary<JsonNode> objects(int depth) {
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            Arbitraries.of(KEYS), Arbitraries.strings().withChars("ab~/01\u00e9").ofMaxLength(3));
    return Arbitraries.maps(keys, json(depth))
        .ofMaxSize(5)
        .map(
            m -> {
              ObjectNode o = Json.NODES.objectNode();
              m.forEach(o::set);
              return o;
            });
  }

  private Arbitrary<JsonNode> arrays(int depth) {
    // small scalars repeat, so arrays have duplicates and equal neighbours to match
    Arbitrary<JsonNode> element =
        Arbitraries.frequencyOf(
            Tuple.of(2, json(depth)),
            Tuple.of(1, Arbitraries.integers().between(0, 3).map(Json.NODES::numberNode)));
    return element
        .list()
        .ofMaxSize(6)
        .map(
            l -> {
              ArrayNode a = Json.NODES.arrayNode();
              l.forEach(a::add);
              return a;
            });
  }

  private Arbitrary<JsonNode> scalars() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            3,
            Arbitraries.oneOf(
                    Arbitraries.of(STRINGS),
                    Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .withChars("\u00e9\u4e2d\n")
                        .ofMaxLength(8))
                .map(Json.NODES::textNode)),
        Tuple.of(2, Arbitraries.integers().map(i -> Json.parse(Integer.toString(i)))),
        Tuple.of(1, Arbitraries.longs().map(l -> Json.parse(Long.toString(l)))),
        Tuple.of(
            1,
            Arbitraries.bigIntegers()
                .between(
                    new java.math.BigInteger("18446744073709551616"),
                    new java.math.BigInteger("1" + "0".repeat(30)))
                .map(i -> Json.parse(i.toString()))),
        Tuple.of(2, Arbitraries.of(DECIMALS).map(Json::parse)),
        Tuple.of(
            1,
            Arbitraries.bigDecimals()
                .between(new java.math.BigDecimal("-1000"), new java.math.BigDecimal("1000"))
                .ofScale(3)
                .map(d -> Json.parse(d.toPlainString()))),
        Tuple.of(1, Arbitraries.of(true, false).map(Json.NODES::booleanNode)),
        Tuple.of(1, Arbitraries.just(Json.NODES.nullNode())));
  }

  // ================================================================ random edits

  /**
   * {@code a} with {@code edits} random changes: members and elements added, removed, moved,
   * edited.
   */
  static JsonNode mutate(JsonNode a, Random r, int edits) {
    JsonNode root = a.deepCopy();
    for (int e = 0; e < edits; e++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(root, containers);
      if (containers.isEmpty() || r.nextInt(25) == 0) {
        root = randomValue(r, 2);
        continue;
      }
      JsonNode c = containers.get(r.nextInt(containers.size()));
      if (c.isObject()) editObject((ObjectNode) c, r);
      else editArray((ArrayNode) c, r);
    }
    return root;
  }

  private static void collectContainers(JsonNode n, List<JsonNode> out) {
    if (!n.isContainerNode()) return;
    out.add(n);
    for (JsonNode child : n) collectContainers(child, out);
  }

  private static void editObject(ObjectNode o, Random r) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    String key = names.isEmpty() ? null : names.get(r.nextInt(names.size()));
    switch (names.isEmpty() ? 0 : r.nextInt(5)) {
      case 0 -> o.set(randomKey(r), randomValue(r, 2));
      case 1 -> o.remove(key);
      case 2 -> o.set(key, randomValue(r, 2));
      case 3 -> o.set(randomKey(r) + "-renamed", o.remove(key)); // a rename: the diff may move it
      default -> o.set(randomKey(r), o.get(key).deepCopy());
    }
  }

  private static void editArray(ArrayNode a, Random r) {
    int n = a.size();
    switch (n == 0 ? 0 : r.nextInt(6)) {
      case 0 -> a.insert(r.nextInt(n + 1), randomValue(r, 2));
      case 1 -> a.remove(r.nextInt(n));
      case 2 -> a.insert(r.nextInt(n), a.remove(r.nextInt(n)));
      case 3 -> a.set(r.nextInt(n), randomValue(r, 2));
      case 4 -> a.insert(r.nextInt(n + 1), a.get(r.nextInt(n)).deepCopy());
      default -> {
        int i = r.nextInt(n);
        int j = r.nextInt(n);
        JsonNode x = a.get(i);
        a.set(i, a.get(j));
        a.set(j, x);
      }
    }
  }

  private static String randomKey(Random r) {
    return KEYS.get(r.nextInt(KEYS.size()));
  }

  static JsonNode randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 8 : 6);
    switch (kind) {
      case 0:
        return Json.NODES.textNode(STRINGS.get(r.nextInt(STRINGS.size())));
      case 1:
        return Json.parse(DECIMALS.get(r.nextInt(DECIMALS.size())));
      case 2:
        return Json.parse(Integer.toString(r.nextInt(10)));
      case 3:
        return Json.NODES.booleanNode(r.nextBoolean());
      case 4:
        return Json.NODES.nullNode();
      case 5:
        return Json.NODES.textNode("v" + r.nextInt(1000));
      case 6:
        {
          ObjectNode o = Json.NODES.objectNode();
          for (int i = r.nextInt(4); i > 0; i--) o.set(randomKey(r), randomValue(r, depth - 1));
          return o;
        }
      default:
        {
          ArrayNode a = Json.NODES.arrayNode();
          for (int i = r.nextInt(4); i > 0; i--) a.add(randomValue(r, depth - 1));
          return a;
        }
    }
  }

  // ================================================================ random patches

  /**
   * A patch of 1 to 5 random operations aimed mostly at paths that exist in {@code doc} (so many
   * apply), some at new members and indices, some at paths that do not exist (so many fail late).
   */
  static Patch randomPatch(JsonNode doc, Random r) {
    List<JsonPointer> existing = new ArrayList<>();
    collectPointers(doc, JsonPointer.ROOT, existing);
    List<PatchOp> ops = new ArrayList<>();
    for (int i = 1 + r.nextInt(5); i > 0; i--) {
      JsonPointer some = existing.get(r.nextInt(existing.size()));
      switch (r.nextInt(6)) {
        case 0 -> ops.add(PatchOp.add(target(doc, existing, r), randomValue(r, 2)));
        case 1 -> ops.add(PatchOp.remove(some));
        case 2 -> ops.add(PatchOp.replace(some, randomValue(r, 2)));
        case 3 -> ops.add(PatchOp.move(some, target(doc, existing, r)));
        case 4 -> ops.add(PatchOp.copy(some, target(doc, existing, r)));
        default ->
            ops.add(PatchOp.test(some, r.nextInt(4) > 0 ? valueAt(doc, some) : randomValue(r, 1)));
      }
    }
    return new Patch(ops);
  }

  private static JsonPointer target(JsonNode doc, List<JsonPointer> existing, Random r) {
    JsonPointer base = existing.get(r.nextInt(existing.size()));
    JsonNode at = valueAt(doc, base);
    int choice = r.nextInt(10);
    if (choice < 3 || at == null || !at.isContainerNode()) return base;
    if (choice == 9) return base.append("missing").append("x");
    if (at.isObject()) return base.append(randomKey(r));
    return base.append(
        switch (r.nextInt(3)) {
          case 0 -> "-";
          case 1 -> Integer.toString(at.size());
          default -> Integer.toString(r.nextInt(at.size() + 2));
        });
  }

  private static void collectPointers(JsonNode n, JsonPointer at, List<JsonPointer> out) {
    out.add(at);
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collectPointers(e.getValue(), at.append(e.getKey()), out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++)
        collectPointers(n.get(i), at.append(Integer.toString(i)), out);
    }
  }

  private static JsonNode valueAt(JsonNode doc, JsonPointer p) {
    JsonNode n = doc;
    for (String t : p.tokens()) {
      n = n.isArray() ? n.get(JsonPointer.index(t)) : n.get(t);
      if (n == null) return null;
    }
    return n.deepCopy();
  }

  // ================================================================ landing pages

  private static final List<String> SECTION_TYPES =
      List.of("hero", "feature-grid", "cta", "faq", "banner", "footer");

  @Provide
  Arbitrary<Pair> landingPairs() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 8))
        .as(
            (seed, edits) -> {
              Random r = new Random(seed);
              ObjectNode a = landingPage(r);
              return new Pair(a, editLandingPage(a, r, edits));
            });
  }

  static ObjectNode landingPage(Random r) {
    ObjectNode doc = Json.NODES.objectNode();
    doc.put("site", "acme-" + r.nextInt(100));
    ObjectNode theme = doc.putObject("theme");
    theme.putObject("palette").put("primary", color(r)).put("accent", color(r));
    theme.set("scale", Json.parse("1.125"));
    theme.put("radius", r.nextInt(16));
    ObjectNode seo = doc.putObject("seo");
    seo.put("title", "Acme " + r.nextInt(1000));
    ArrayNode keywords = seo.putArray("keywords");
    for (int i = r.nextInt(4); i > 0; i--) keywords.add("kw" + r.nextInt(10));
    ArrayNode pages = doc.putArray("pages");
    int pageCount = 1 + r.nextInt(3);
    for (int p = 0; p < pageCount; p++) {
      ObjectNode page =
          pages.addObject().put("id", "page" + p).put("slug", p == 0 ? "/" : "/p" + p);
      ArrayNode sections = page.putArray("sections");
      for (int s = r.nextInt(13); s > 0; s--) sections.add(section(r, "p" + p + "s" + s));
    }
    return doc;
  }

  private static ObjectNode section(Random r, String id) {
    ObjectNode s =
        Json.NODES
            .objectNode()
            .put("id", id)
            .put("type", SECTION_TYPES.get(r.nextInt(SECTION_TYPES.size())));
    ObjectNode content = s.putObject("content").put("headline", "Headline " + r.nextInt(50));
    if (r.nextBoolean())
      content.putObject("cta").put("label", "Go " + r.nextInt(5)).put("href", "/shop");
    ArrayNode items = content.putArray("items");
    for (int i = r.nextInt(5); i > 0; i--)
      items.addObject().put("id", i).put("text", "item " + r.nextInt(20));
    s.put("visible", r.nextBoolean());
    s.putObject("style").put("padding", r.nextInt(64)).put("background", color(r));
    return s;
  }

  private static String color(Random r) {
    return String.format("#%06x", r.nextInt(0x1000000));
  }

  /** Section-level edits a page builder makes: reorder, insert, delete, edit, re-theme. */
  static ObjectNode editLandingPage(ObjectNode a, Random r, int edits) {
    ObjectNode b = a.deepCopy();
    for (int e = 0; e < edits; e++) {
      ArrayNode pages = (ArrayNode) b.get("pages");
      ArrayNode sections = (ArrayNode) pages.get(r.nextInt(pages.size())).get("sections");
      int n = sections.size();
      switch (n == 0 ? 1 : r.nextInt(9)) {
        case 0 -> sections.insert(r.nextInt(n), sections.remove(r.nextInt(n)));
        case 1 ->
            sections.insert(r.nextInt(n + 1), section(r, "new" + e + "x" + r.nextInt(1_000_000)));
        case 2 -> sections.remove(r.nextInt(n));
        case 3 ->
            ((ObjectNode) sections.get(r.nextInt(n)).get("content")).put("headline", "Edited " + e);
        case 4 -> {
          ArrayNode items = (ArrayNode) sections.get(r.nextInt(n)).get("content").get("items");
          if (items.size() > 1) items.insert(0, items.remove(items.size() - 1));
        }
        case 5 -> ((ObjectNode) sections.get(r.nextInt(n))).put("visible", r.nextBoolean());
        case 6 -> ((ObjectNode) b.get("theme").get("palette")).put("primary", color(r));
        case 7 -> ((ObjectNode) b.get("seo")).put("title", "Sale " + e);
        default -> {
          ArrayNode items = (ArrayNode) sections.get(r.nextInt(n)).get("content").get("items");
          items.addObject().put("id", 100 + e).put("text", "added");
        }
      }
    }
    return b;
  }

  // ================================================================ large arrays

  enum ElementKind {
    DISTINCT_INTS,
    REPEATING_INTS,
    STRINGS,
    OBJECTS_WITH_IDS,
    OBJECTS_WITHOUT_IDS
  }

  @Provide
  Arbitrary<ElementKind> elementKinds() {
    return Arbitraries.of(ElementKind.class);
  }

  @Provide
  Arbitrary<Pair> largeArrayPairs() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 5_000),
            elementKinds(),
            Arbitraries.longs(),
            Arbitraries.integers().between(1, 30))
        .as(
            (size, kind, seed, edits) -> {
              Random r = new Random(seed);
              ArrayNode a = largeArray(size, kind, r);
              ArrayNode b = a.deepCopy();
              for (int e = 0; e < edits; e++) {
                int n = b.size();
                switch (n == 0 ? 0 : r.nextInt(4)) {
                  case 0 -> b.insert(r.nextInt(n + 1), freshElement(kind, size + e, r));
                  case 1 -> b.remove(r.nextInt(n));
                  case 2 -> b.insert(r.nextInt(n), b.remove(r.nextInt(n)));
                  default -> {
                    int i = r.nextInt(n);
                    if (b.get(i).isObject()) ((ObjectNode) b.get(i)).put("v", "edited " + e);
                    else b.set(i, freshElement(kind, size + e, r));
                  }
                }
              }
              ObjectNode wrapA = Json.NODES.objectNode();
              wrapA.set("list", a);
              ObjectNode wrapB = Json.NODES.objectNode();
              wrapB.set("list", b);
              return r.nextBoolean() ? new Pair(a, b) : new Pair(wrapA, wrapB);
            });
  }

  static ArrayNode largeArray(int size, ElementKind kind, Random r) {
    ArrayNode a = Json.NODES.arrayNode(size);
    for (int i = 0; i < size; i++) {
      switch (kind) {
        case DISTINCT_INTS -> a.add(i);
        case REPEATING_INTS -> a.add(r.nextInt(20));
        case STRINGS -> a.add("element " + i);
        case OBJECTS_WITH_IDS -> a.addObject().put("id", "s" + i).put("v", r.nextInt(3));
        case OBJECTS_WITHOUT_IDS -> a.addObject().put("n", i).put("v", r.nextInt(3));
      }
    }
    return a;
  }

  static JsonNode freshElement(ElementKind kind, int unique, Random r) {
    return switch (kind) {
      case DISTINCT_INTS -> Json.NODES.numberNode(-1 - unique);
      case REPEATING_INTS -> Json.NODES.numberNode(r.nextInt(20));
      case STRINGS -> Json.NODES.textNode("fresh " + unique);
      case OBJECTS_WITH_IDS ->
          Json.NODES
              .objectNode()
              .put("id", "fresh" + unique + "-" + r.nextInt(1_000_000))
              .put("v", 7);
      case OBJECTS_WITHOUT_IDS -> Json.NODES.objectNode().put("n", -1 - unique).put("v", 7);
    };
  }

  // ================================================================ merge patch helpers

  private static JsonNode withoutNulls(JsonNode n) {
    if (n.isNull()) return Json.NODES.textNode("was null");
    if (n.isObject()) {
      ObjectNode o = Json.NODES.objectNode();
      n.fields().forEachRemaining(e -> o.set(e.getKey(), withoutNulls(e.getValue())));
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = Json.NODES.arrayNode();
      n.forEach(e -> a.add(withoutNulls(e)));
      return a;
    }
    return n;
  }

  /** True when some object member (at any depth, outside arrays) is null. */
  private static boolean hasNullMember(JsonNode n) {
    if (!n.isObject()) return false;
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      JsonNode v = it.next();
      if (v.isNull() || hasNullMember(v)) return true;
    }
    return false;
  }
}
