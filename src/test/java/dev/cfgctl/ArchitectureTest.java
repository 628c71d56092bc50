package dev.cfgctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The shape ARCHITECTURE.md draws, enforced: a pure engine, a store that knows no HTTP, picocli
 * only in the command line, and no cycles between packages or between the classes of different
 * files.
 */
@AnalyzeClasses(packages = "dev.cfgctl", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] WEB = {
    "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "okhttp3..", "okio.."
  };

  @ArchTest
  static final ArchRule engineIsPure =
      noClasses()
          .that()
          .resideInAPackage("dev.cfgctl.patch..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.cfgctl.cli..",
              "dev.cfgctl.app..",
              "dev.cfgctl.store..",
              "dev.cfgctl.server..",
              "dev.cfgctl.client..",
              "dev.cfgctl.api..",
              "dev.cfgctl.output..",
              "java.nio.file..",
              "java.net..",
              "java.sql..",
              "javax.sql..",
              "picocli..",
              "io.javalin..",
              "org.eclipse.jetty..",
              "okhttp3..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.io.File")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.lang.Thread")
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching(
              "java\\.util\\.concurrent\\.(Executor.*|ForkJoin.*|CompletableFuture|.*ThreadPool.*)")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("java.util.concurrent.locks")
          .because(
              "the patch engine is plain functions: no I/O, threads or HTTP (ARCHITECTURE.md)");

  @ArchTest
  static final ArchRule storeKnowsNoHttp =
      noClasses()
          .that()
          .resideInAPackage("dev.cfgctl.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WEB)
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.cfgctl.server..",
              "dev.cfgctl.client..",
              "dev.cfgctl.api..",
              "dev.cfgctl.cli..",
              "dev.cfgctl.app..",
              "dev.cfgctl.output..")
          .because("the store is domain types and SQL; HTTP belongs to api, server and client");

  @ArchTest
  static final ArchRule storeInterfaceKnowsNoJdbc =
      noClasses()
          .that()
          .resideInAPackage("dev.cfgctl.store")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.cfgctl.store.jdbc..", "java.sql..", "javax.sql..");

  @ArchTest
  static final ArchRule applicationKnowsNoFrameworks =
      noClasses()
          .that()
          .resideInAPackage("dev.cfgctl.app..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WEB)
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "picocli..", "dev.cfgctl.cli..", "dev.cfgctl.server..", "dev.cfgctl.client..")
          .because("services run in the CLI, the shell and the server alike");

  @ArchTest
  static final ArchRule onlyTheCommandLineUsesPicocli =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.cfgctl.cli..", "dev.cfgctl")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.cfgctl.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesBetweenFiles =
      slices().assignedFrom(new TopLevelClasses()).should().beFreeOfCycles();

  /** Puts a class and its nested classes in one slice: one source file. */
  private static final class TopLevelClasses implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getName();
      int nested = name.indexOf('$');
      return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
    }

    @Override
    public String getDescription() {
      return "source files";
    }
  }
}
