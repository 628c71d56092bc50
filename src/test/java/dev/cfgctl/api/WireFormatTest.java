package dev.cfgctl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockedException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.VersionConflictException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the server writes, the client reads back as it was: headers, problems and statuses. */
class WireFormatTest {
  static final ConfigRef LANDING = new ConfigRef("acme", "landing");

  @Test
  void documentHeadersReadBackTheDocumentTheyWereWrittenFrom() {
    Document d =
        new Document(
            LANDING,
            7,
            Json.parse("{\"a\":1}"),
            Instant.parse("2026-11-28T10:04:00Z"),
            new Author("zoë", "Zoë Ruiz"));
    Map<String, String> headers = new LinkedHashMap<>();
    DocumentHeaders.write(d, headers::put);

    assertThat(headers)
        .containsExactly(
            Map.entry("ETag", "\"7\""),
            Map.entry("Last-Modified", "Sat, 28 Nov 2026 10:04:00 GMT"),
            Map.entry("Config-Version", "7"),
            Map.entry("Config-Updated-By", "zo%C3%AB"),
            Map.entry("Config-Updated-By-Name", "Zo%C3%AB Ruiz"));
    assertThat(DocumentHeaders.read(LANDING, headers::get, d.content())).isEqualTo(d);
  }

  @Test
  void problemJsonReadsBackTheRefusalItWasWrittenFrom() {
    StoreException e =
        new StoreException(Problem.VERSION_CONFLICT, "acme/landing is at version 3")
            .with("currentVersion", 3);
    ObjectNode wire = ProblemJson.encode(e);

    assertThat(Json.compact(wire))
        .isEqualTo(
            "{\"type\":\"/problems/version-conflict\","
                + "\"title\":\"Version conflict\",\"status\":412,"
                + "\"detail\":\"acme/landing is at version 3\",\"currentVersion\":3}");
    StoreException read = ProblemJson.decode(412, wire);
    assertThat(read.problem()).isEqualTo(Problem.VERSION_CONFLICT);
    assertThat(read.getMessage()).isEqualTo(e.getMessage());
    assertThat(read.members()).isEqualTo(e.members());
  }

  @Test
  void aVersionConflictReadsBackWithItsTypedFields() {
    Revision since =
        new Revision(
            LANDING,
            8,
            Revision.Kind.SAVE,
            new Author("sarah", "Sarah"),
            Instant.parse("2026-11-28T10:04:00Z"),
            "summer",
            List.of("/title"),
            null,
            false,
            null,
            null,
            Patch.EMPTY,
            Patch.EMPTY);
    VersionConflictException e =
        (VersionConflictException) Refusals.stale(LANDING, 7, 8, List.of(since));
    ObjectNode wire = ProblemJson.encode(e);

    assertThat(wire.get("detail").asText())
        .isEqualTo("acme/landing is at version 8, not 7; since then: v8 save by Sarah /title");
    assertThat(wire.get("tenant").asText()).isEqualTo("acme");
    assertThat(wire.get("config").asText()).isEqualTo("landing");
    assertThat(wire.get("retained").asBoolean()).isTrue();
    VersionConflictException read = (VersionConflictException) ProblemJson.decode(412, wire);
    assertThat(read.getMessage()).isEqualTo(e.getMessage());
    assertThat(read.members()).isEqualTo(e.members());
    assertThat(read.conflict()).isPresent().isEqualTo(e.conflict());
    assertThat(read.conflict().get().since()).containsExactly(since);

    StoreException gone = Refusals.notRetained(LANDING, 3, 8, List.of(since));
    assertThat(
            ((VersionConflictException) ProblemJson.decode(412, ProblemJson.encode(gone)))
                .conflict()
                .get()
                .retained())
        .isFalse();
  }

  @Test
  void aVersionConflictWithoutTheMembersOfItsTypedFormHasNone() {
    StoreException read =
        ProblemJson.decode(
            412,
            (ObjectNode)
                Json.parse(
                    "{\"type\":"
                        + "\"/problems/version-conflict\",\"status\":412,\"detail\":\"acme/landing changed\","
                        + "\"expectedVersion\":7}"));
    assertThat(read.problem()).isEqualTo(Problem.VERSION_CONFLICT);
    assertThat(((VersionConflictException) read).conflict()).isEmpty();
    assertThat(read.members().get("expectedVersion").asLong()).isEqualTo(7);
  }

  @Test
  void aLockThatRefusedReadsBackWithoutItsId() {
    Lock lock =
        new Lock(
            "secret",
            LANDING,
            new Author("bob", "Bob"),
            "web",
            null,
            Instant.parse("2026-11-28T10:04:00Z"),
            Instant.parse("2026-11-28T10:05:00Z"),
            Instant.parse("2026-11-28T10:09:00Z"),
            300,
            4);
    LockedException e = new LockedException(Problem.LOCKED, "locked", lock);
    ObjectNode wire = ProblemJson.encode(e);

    assertThat(wire.get("lock").has("id")).isFalse();
    LockedException read = (LockedException) ProblemJson.decode(423, wire);
    assertThat(read.lock()).isPresent().isEqualTo(e.lock());
    assertThat(read.lock().get().id()).isNull();
    assertThat(read.lock().get().holder().name()).isEqualTo("Bob");
  }

  @Test
  void anUnknownProblemTypeIsTakenForTheProblemOfItsStatusWhenOnlyOneHasIt() {
    ObjectNode wire =
        (ObjectNode)
            Json.parse(
                "{\"type\":\"/problems/from-the-future\","
                    + "\"title\":\"New\",\"status\":423,\"detail\":\"a newer server\"}");
    assertThat(ProblemJson.decode(423, wire).problem()).isEqualTo(Problem.LOCKED);
    assertThat(ProblemJson.decode(409, wire).problem()).isEqualTo(Problem.INVALID_REQUEST);
    assertThat(ProblemJson.decode(502, wire).problem()).isEqualTo(Problem.UNAVAILABLE);
  }

  @Test
  void everyProblemHasAnErrorStatusThatLeadsBackToItWhenItIsTheOnlyOne() {
    for (Problem p : Problem.values()) {
      int status = ProblemStatus.of(p);
      assertThat(status).as(p.slug()).isBetween(400, 599);
      long sharing =
          java.util.Arrays.stream(Problem.values())
              .filter(q -> ProblemStatus.of(q) == status)
              .count();
      if (sharing == 1) assertThat(ProblemStatus.problemOf(status)).as(p.slug()).isEqualTo(p);
    }
  }
}
