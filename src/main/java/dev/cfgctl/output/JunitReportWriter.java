package dev.cfgctl.output;

import dev.cfgctl.app.MigrationReport;
import dev.cfgctl.app.MigrationReport.ConfigResult;
import dev.cfgctl.app.MigrationReport.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A migration report as the JUnit XML that CI servers read: one test suite, one test case per
 * config, failed when the config does not have the change. The suite's time is the wall time, not
 * the sum of the configs migrated at once.
 */
public final class JunitReportWriter {
  private JunitReportWriter() {}

  /** Writes {@code report} to {@code file} as the test suite {@code suiteName}. */
  public static void write(MigrationReport report, String suiteName, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", suiteName);
      x.writeAttribute("tests", Integer.toString(report.configs().size()));
      x.writeAttribute("failures", Integer.toString(report.failures()));
      x.writeAttribute("errors", "0");
      x.writeAttribute("skipped", "0");
      x.writeAttribute("time", seconds(report.wallNanos()));
      for (ConfigResult r : report.configs()) {
        x.writeCharacters("\n  ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "cfgctl.migrate." + r.ref().tenant());
        x.writeAttribute("name", r.ref().name());
        x.writeAttribute("time", seconds(r.nanos()));
        if (!r.outcome().ok()) {
          x.writeStartElement("failure");
          x.writeAttribute("type", r.outcome().slug());
          x.writeAttribute("message", r.message());
          x.writeEndElement();
        } else {
          x.writeStartElement("system-out");
          x.writeCharacters(
              r.outcome().label()
                  + (r.version() == null ? "" : " (version " + r.version() + ")")
                  + (report.dryRun() && r.outcome() == Outcome.APPLIED ? " (dry run)" : ""));
          x.writeEndElement();
        }
        x.writeEndElement();
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }
}
