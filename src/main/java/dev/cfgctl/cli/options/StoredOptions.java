package dev.cfgctl.cli.options;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Io;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Printer;
import dev.cfgctl.store.ConfigStore;

/**
 * The options of a command on stored configs: the output and where the store is; for a write also
 * how it presents itself (message, lock, rebase).
 */
public final class StoredOptions {
  public final CommonOptions common = new CommonOptions();
  public final FormatOption output = new FormatOption();
  public final StoreOptions store = new StoreOptions();
  public final WriteOptions write = new WriteOptions();

  /** Adds those of a read to a command that keeps them in a field of this type. */
  public static void addTo(CommandModel<StoredOptions> m) {
    CommonOptions.addTo(m.mixin(o -> o.common));
    FormatOption.addTo(m.mixin(o -> o.output));
    StoreOptions.addTo(m.mixin(o -> o.store));
  }

  /** Adds those of a write; --rebase if it can rebase. */
  public static void addWriteTo(CommandModel<StoredOptions> m, boolean rebase) {
    addTo(m);
    WriteOptions.addTo(m.mixin(o -> o.write), rebase);
  }

  /** Refuses contradictory options; commands call it before doing any work. */
  public void check() {
    common.check();
  }

  public Session open(Io io) {
    return store.open(io);
  }

  public ConfigStore.Write write(Io io) {
    return write.write(io);
  }

  /** The printer of the format asked for (text unless -o says otherwise), on stdout. */
  public Printer printer(Io io) {
    return output.printer(io, common, Format.TEXT);
  }
}
