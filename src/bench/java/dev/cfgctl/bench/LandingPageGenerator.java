package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.ExactNumberNode;
import dev.cfgctl.patch.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic generator of realistic landing-page site configs (site, theme, SEO, navigation,
 * pages → sections with unique ids, content, style) at a target size, and of the five edit
 * scenarios the patch benchmarks compare.
 *
 * <p>Pages are identified by {@code slug} (no {@code id}); sections, pricing plans and form fields
 * carry unique {@code id}s; feature items, images, FAQ entries, keywords, etc. have none, as in
 * typical CMS exports. From 1 MB up one page ("/resources") holds a large share of all sections
 * (thousands in the 10 MB config), which is where the front-insert and move scenarios act.
 *
 * <p>Sizes are compact-JSON bytes. The same seed always yields byte-identical output.
 *
 * <p>{@code main(--out DIR [--sizes 50KB,1MB,10MB])} writes {@code DIR/<size>/a.json} and {@code
 * DIR/<size>/<scenario>.json} (compact JSON) for the Java and Node benchmarks, plus a manifest.
 */
public final class LandingPageGenerator {

  /** The three document sizes of the benchmark, in compact-JSON bytes. */
  public enum Size {
    S50KB("50KB", 50_000, 0.0),
    M1MB("1MB", 1_000_000, 0.45),
    L10MB("10MB", 10_000_000, 0.5);

    public final String label;
    public final int bytes;

    /** Share of the budget that goes to the one page with a large sections array. */
    final double bigPageShare;

    Size(String label, int bytes, double bigPageShare) {
      this.label = label;
      this.bytes = bytes;
      this.bigPageShare = bigPageShare;
    }

    public static Size of(String label) {
      for (Size s : values()) if (s.label.equalsIgnoreCase(label)) return s;
      throw new IllegalArgumentException("unknown size " + label);
    }
  }

  /** The edits turning document a into document b. */
  public enum Scenario {
    ONE_FIELD("one-field"),
    ONE_PERCENT("1pct-leaves"),
    FRONT_INSERT("front-insert"),
    MOVE("move-to-front"),
    DELETE_10PCT("delete-10pct");

    public final String label;

    Scenario(String label) {
      this.label = label;
    }

    public static Scenario of(String label) {
      for (Scenario s : values()) if (s.label.equalsIgnoreCase(label)) return s;
      throw new IllegalArgumentException("unknown scenario " + label);
    }
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final String[] WORDS =
      ("platform team growth launch faster insight customer revenue workflow automate secure cloud "
              + "analytics dashboard integrate scale simple modern powerful trusted global data product "
              + "design build ship collaborate realtime reliable enterprise startup pricing plan feature "
              + "support onboarding experience conversion campaign audience content brand marketing email "
              + "mobile web performance uptime compliance privacy security api developer tools report "
              + "forecast pipeline sales lead engage retain churn value benefit outcome results proven "
              + "effortless seamless flexible custom template component section page theme editor publish "
              + "preview version history rollback deploy region edge cache latency throughput storage "
              + "backup recovery monitor alert incident response insightful beautiful intuitive smart "
              + "every business today tomorrow minutes hours weeks instantly without code your our with "
              + "from into more less better best new free trial start demo contact learn discover explore "
              + "join thousands companies teams leaders partners community events webinar guide story case "
              + "study resource library blog news update release changelog roadmap vision mission values")
          .split(" ");
  private static final String[] SECTION_TYPES = {
    "hero",
    "features",
    "testimonials",
    "pricing",
    "faq",
    "logos",
    "stats",
    "cta",
    "gallery",
    "newsletter",
    "text",
    "cards"
  };
  private static final String[] ICONS = {
    "zap", "shield", "cloud", "chart", "users", "lock", "globe", "rocket", "clock", "star", "heart"
  };
  private static final String[] ALIGN = {"left", "center", "right"};
  private static final String[] VARIANTS = {"primary", "secondary", "outline", "link"};
  private static final String[] ANIMATIONS = {"fade-up", "fade-in", "slide-left", "zoom", "none"};
  private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};

  private final Random rnd;
  private final Set<String> ids = new HashSet<>();
  private int sectionsMade;

  public LandingPageGenerator(long seed) {
    this.rnd = new Random(seed);
  }

  /** The config of about {@code size.bytes} compact-JSON bytes for a fixed seed per size. */
  public static ObjectNode generate(Size size) {
    return new LandingPageGenerator(0xC0FFEE + size.ordinal())
        .document(size.bytes, size.bigPageShare);
  }

  /** Builds a document of about {@code targetBytes}, {@code bigShare} of it in one large page. */
  public ObjectNode document(int targetBytes, double bigShare) {
    ObjectNode root = F.objectNode();
    root.put("$schema", "https://schemas.example.com/landing/v3.json");
    root.put("version", "3.4." + rnd.nextInt(40));
    root.set("site", site());
    root.set("theme", theme());
    root.set("seo", siteSeo());
    root.set("navigation", navigation());
    root.set("integrations", integrations());
    ArrayNode pages = root.putArray("pages");
    int budget = targetBytes - size(root);
    int bigBudget = (int) (budget * bigShare);
    int smallBudget = budget - bigBudget;
    int used = 0;
    boolean bigDone = bigBudget <= 0;
    int pageNo = 0;
    while (used < smallBudget || !bigDone) {
      ObjectNode page;
      if (!bigDone && (pageNo == 3 || used >= smallBudget)) {
        page = page("/resources", "Resources", 0);
        ArrayNode sections = (ArrayNode) page.get("sections");
        int pageSize = size(page);
        while (pageSize < bigBudget) {
          ObjectNode s = section(rnd.nextInt(4) == 0 ? "text" : "cards");
          sections.add(s);
          pageSize += size(s) + 1;
        }
        bigDone = true;
      } else {
        String slug = pageNo == 0 ? "/" : "/" + slugify(words(1 + rnd.nextInt(3))) + "-" + pageNo;
        page = page(slug, title(2 + rnd.nextInt(4)), 4 + rnd.nextInt(11));
        int s = size(page) + 1;
        if (used + s > smallBudget && bigDone) {
          // the last page: only as many sections as still fit
          ArrayNode sections = (ArrayNode) page.get("sections");
          while (used + s > smallBudget && sections.size() > 1) {
            s -= size(sections.remove(sections.size() - 1)) + 1;
          }
          used = smallBudget;
        } else {
          used += s;
        }
      }
      pages.add(page);
      pageNo++;
    }
    return root;
  }

  // ---------------------------------------------------------------- building blocks

  private ObjectNode site() {
    ObjectNode s = F.objectNode();
    s.put("name", "Acme " + cap(word()));
    s.put("domain", "www.acme-" + word() + ".example.com");
    s.put("defaultLocale", "en-US");
    s.set("locales", strings("en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR"));
    s.put("timezone", "Europe/Berlin");
    s.put("favicon", image("favicon").get("src").asText());
    s.set("logo", image("logo"));
    ObjectNode social = s.putObject("social");
    for (String n : new String[] {"twitter", "linkedin", "github", "youtube"}) {
      social.put(n, "https://" + n + ".com/acme" + word());
    }
    s.put("analyticsId", "G-" + hex(10).toUpperCase(Locale.ROOT));
    s.put("cookieBanner", true);
    return s;
  }

  private ObjectNode theme() {
    ObjectNode t = F.objectNode();
    t.put("name", "acme-" + word());
    t.put("mode", "light");
    ObjectNode colors = t.putObject("colors");
    for (String c :
        new String[] {
          "primary",
          "secondary",
          "accent",
          "background",
          "surface",
          "text",
          "muted",
          "border",
          "success",
          "warning",
          "danger",
          "info"
        }) {
      colors.put(c, color());
    }
    ObjectNode dark = t.putObject("darkColors");
    for (String c : new String[] {"primary", "background", "surface", "text", "muted", "border"}) {
      dark.put(c, color());
    }
    ObjectNode typo = t.putObject("typography");
    typo.put("fontFamily", "Inter, system-ui, sans-serif");
    typo.put("headingFamily", "Cal Sans, Inter, sans-serif");
    typo.put("monoFamily", "JetBrains Mono, monospace");
    typo.put("baseSize", 16);
    typo.put("lineHeight", 1.5);
    typo.put("scale", 1.25);
    ObjectNode weights = typo.putObject("weights");
    weights.put("regular", 400);
    weights.put("medium", 500);
    weights.put("bold", 700);
    ArrayNode spacing = t.putArray("spacing");
    for (int v : new int[] {0, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128}) spacing.add(v);
    ObjectNode bp = t.putObject("breakpoints");
    bp.put("sm", 640);
    bp.put("md", 768);
    bp.put("lg", 1024);
    bp.put("xl", 1280);
    ObjectNode radii = t.putObject("radii");
    radii.put("sm", 4);
    radii.put("md", 8);
    radii.put("lg", 16);
    radii.put("full", 9999);
    ObjectNode shadows = t.putObject("shadows");
    shadows.put("sm", "0 1px 2px rgba(0,0,0,0.05)");
    shadows.put("md", "0 4px 6px rgba(0,0,0,0.1)");
    shadows.put("lg", "0 10px 15px rgba(0,0,0,0.1)");
    ObjectNode buttons = t.putObject("buttons");
    for (String v : VARIANTS) {
      ObjectNode b = buttons.putObject(v);
      b.put("background", color());
      b.put("color", color());
      b.put("radius", 4 + rnd.nextInt(12));
      b.put("paddingX", 16 + rnd.nextInt(16));
      b.put("uppercase", rnd.nextBoolean());
    }
    return t;
  }

  private ObjectNode siteSeo() {
    ObjectNode s = F.objectNode();
    s.put("titleTemplate", "%s | Acme");
    s.put("defaultTitle", title(5));
    s.put("description", sentence(18));
    s.set("keywords", keywords(8));
    s.put("robots", "index,follow");
    ObjectNode og = s.putObject("openGraph");
    og.put("type", "website");
    og.put("siteName", "Acme");
    og.set("image", image("og"));
    ObjectNode tw = s.putObject("twitter");
    tw.put("card", "summary_large_image");
    tw.put("site", "@acme");
    return s;
  }

  private ObjectNode navigation() {
    ObjectNode n = F.objectNode();
    ArrayNode header = n.putArray("header");
    for (int i = 0; i < 6; i++) {
      ObjectNode item = link();
      if (rnd.nextInt(3) == 0) {
        ArrayNode children = item.putArray("children");
        for (int k = 0; k < 3 + rnd.nextInt(4); k++) children.add(link());
      }
      header.add(item);
    }
    ArrayNode footer = n.putArray("footer");
    for (int i = 0; i < 4; i++) {
      ObjectNode col = F.objectNode();
      col.put("title", title(2));
      ArrayNode links = col.putArray("links");
      for (int k = 0; k < 4 + rnd.nextInt(4); k++) links.add(link());
      footer.add(col);
    }
    n.put("sticky", true);
    n.put("showSearch", rnd.nextBoolean());
    return n;
  }

  private ObjectNode integrations() {
    ObjectNode i = F.objectNode();
    ObjectNode ga = i.putObject("googleAnalytics");
    ga.put("enabled", true);
    ga.put("measurementId", "G-" + hex(10).toUpperCase(Locale.ROOT));
    ObjectNode hs = i.putObject("hubspot");
    hs.put("enabled", rnd.nextBoolean());
    hs.put("portalId", 1_000_000 + rnd.nextInt(8_000_000));
    ObjectNode intercom = i.putObject("intercom");
    intercom.put("enabled", true);
    intercom.put("appId", hex(8));
    intercom.put("alignment", "right");
    return i;
  }

  private ObjectNode page(String slug, String title, int sections) {
    ObjectNode p = F.objectNode();
    p.put("slug", slug);
    p.put("title", title);
    p.put("layout", rnd.nextInt(5) == 0 ? "wide" : "default");
    p.put("status", rnd.nextInt(8) == 0 ? "draft" : "published");
    p.put("locale", "en-US");
    p.put("updatedAt", timestamp());
    p.put("author", cap(word()) + " " + cap(word()));
    ObjectNode seo = p.putObject("seo");
    seo.put("title", title);
    seo.put("description", sentence(14 + rnd.nextInt(10)));
    seo.put("canonical", "https://www.acme.example.com" + slug);
    seo.put("robots", rnd.nextInt(6) == 0 ? "noindex,follow" : "index,follow");
    seo.set("keywords", keywords(3 + rnd.nextInt(5)));
    ObjectNode og = seo.putObject("openGraph");
    og.put("title", title);
    og.put("description", sentence(10));
    og.set("image", image("og"));
    ObjectNode sd = seo.putObject("structuredData");
    sd.put("@context", "https://schema.org");
    sd.put("@type", "WebPage");
    sd.put("name", title);
    ArrayNode s = p.putArray("sections");
    for (int i = 0; i < sections; i++) {
      s.add(section(i == 0 ? "hero" : SECTION_TYPES[1 + rnd.nextInt(SECTION_TYPES.length - 1)]));
    }
    return p;
  }

  /** A new section with a fresh unique id. */
  public ObjectNode section(String type) {
    sectionsMade++;
    ObjectNode s = F.objectNode();
    s.put("id", uniqueId("sec"));
    s.put("type", type);
    s.put("visible", rnd.nextInt(12) != 0);
    s.put("anchor", slugify(words(2)));
    ObjectNode c = s.putObject("content");
    c.put("eyebrow", title(2));
    c.put("headline", title(4 + rnd.nextInt(6)));
    if (rnd.nextBoolean()) c.put("subheadline", sentence(8 + rnd.nextInt(8)));
    c.put("body", paragraph(1 + rnd.nextInt(3)));
    if (rnd.nextInt(4) != 0) c.set("cta", cta());
    if (rnd.nextInt(3) == 0) c.set("secondaryCta", cta());
    ArrayNode images = c.putArray("images");
    int imgs = type.equals("gallery") ? 4 + rnd.nextInt(6) : rnd.nextInt(3);
    for (int i = 0; i < imgs; i++) images.add(image(type));
    switch (type) {
      case "features":
      case "cards":
      case "stats":
        {
          ArrayNode items = c.putArray("items");
          int n = type.equals("cards") ? 2 + rnd.nextInt(3) : 3 + rnd.nextInt(4);
          for (int i = 0; i < n; i++) {
            ObjectNode it = F.objectNode();
            it.put("icon", ICONS[rnd.nextInt(ICONS.length)]);
            if (type.equals("stats")) {
              it.put("value", (10 + rnd.nextInt(990)) + (rnd.nextBoolean() ? "%" : "k+"));
              it.put("label", title(2 + rnd.nextInt(3)));
            } else {
              it.put("title", title(2 + rnd.nextInt(4)));
              it.put("body", sentence(10 + rnd.nextInt(14)));
              if (type.equals("cards")) {
                it.put("href", "/" + slugify(words(3)));
                it.set("tags", keywords(1 + rnd.nextInt(3)));
              }
            }
            items.add(it);
          }
          break;
        }
      case "testimonials":
        {
          ArrayNode items = c.putArray("items");
          for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
            ObjectNode it = F.objectNode();
            it.put("quote", sentence(14 + rnd.nextInt(20)));
            it.put("author", cap(word()) + " " + cap(word()));
            it.put("role", title(2));
            it.put("company", cap(word()) + " Inc.");
            it.set("avatar", image("avatar"));
            it.put("rating", 3 + rnd.nextInt(3));
            items.add(it);
          }
          break;
        }
      case "pricing":
        {
          ArrayNode plans = c.putArray("plans");
          String currency = CURRENCIES[rnd.nextInt(CURRENCIES.length)];
          for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
            ObjectNode plan = F.objectNode();
            plan.put("id", "plan-" + i);
            plan.put("name", cap(word()));
            ObjectNode price = plan.putObject("price");
            price.set("amount", new ExactNumberNode((9 + rnd.nextInt(300)) + ".00"));
            price.put("currency", currency);
            price.put("period", rnd.nextBoolean() ? "month" : "year");
            plan.put("highlighted", i == 1);
            ArrayNode features = plan.putArray("features");
            for (int k = 0; k < 3 + rnd.nextInt(6); k++) features.add(title(2 + rnd.nextInt(4)));
            plan.set("cta", cta());
            plans.add(plan);
          }
          c.put("annualDiscount", 0.1 + rnd.nextInt(20) / 100.0);
          break;
        }
      case "faq":
        {
          ArrayNode items = c.putArray("items");
          for (int i = 0; i < 3 + rnd.nextInt(6); i++) {
            ObjectNode it = F.objectNode();
            it.put("question", sentence(6 + rnd.nextInt(8)).replace('.', '?'));
            it.put("answer", paragraph(1 + rnd.nextInt(2)));
            items.add(it);
          }
          break;
        }
      case "logos":
        {
          ArrayNode logos = c.putArray("logos");
          for (int i = 0; i < 4 + rnd.nextInt(8); i++) {
            ObjectNode l = F.objectNode();
            l.put("name", cap(word()) + " " + cap(word()));
            l.put("src", "https://cdn.acme.example.com/logos/" + hex(12) + ".svg");
            l.put("href", "https://" + word() + ".example.org");
            logos.add(l);
          }
          c.put("grayscale", rnd.nextBoolean());
          break;
        }
      case "newsletter":
        {
          ObjectNode form = c.putObject("form");
          form.put("action", "/api/forms/" + hex(8));
          ArrayNode fields = form.putArray("fields");
          String[] names = {"email", "firstName", "company", "role"};
          for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
            ObjectNode f = F.objectNode();
            f.put("id", names[i]);
            f.put("type", i == 0 ? "email" : "text");
            f.put("label", cap(names[i]));
            f.put("placeholder", sentence(3));
            f.put("required", i == 0);
            fields.add(f);
          }
          form.put("submitLabel", title(2));
          form.put("successMessage", sentence(8));
          break;
        }
      default:
        break;
    }
    s.set("style", style());
    if (rnd.nextInt(3) == 0) {
      ObjectNode a = s.putObject("analytics");
      a.put("event", "view_" + type);
      a.put("category", "landing");
      a.put("nonInteraction", true);
    }
    return s;
  }

  private ObjectNode style() {
    ObjectNode st = F.objectNode();
    ObjectNode bg = st.putObject("background");
    bg.put("color", color());
    if (rnd.nextInt(4) == 0) {
      bg.put("image", "https://cdn.acme.example.com/bg/" + hex(12) + ".webp");
      bg.put("overlayOpacity", rnd.nextInt(9) / 10.0 + 0.05);
    }
    if (rnd.nextInt(3) == 0)
      bg.put("gradient", "linear-gradient(135deg, " + color() + ", " + color() + ")");
    st.put("textColor", color());
    ObjectNode pad = st.putObject("padding");
    pad.put("top", 16 * (1 + rnd.nextInt(8)));
    pad.put("bottom", 16 * (1 + rnd.nextInt(8)));
    pad.put("left", 16 * rnd.nextInt(3));
    pad.put("right", 16 * rnd.nextInt(3));
    st.put("align", ALIGN[rnd.nextInt(ALIGN.length)]);
    st.put("maxWidth", 960 + 80 * rnd.nextInt(6));
    st.put("columns", 1 + rnd.nextInt(4));
    st.put("gap", 8 * (1 + rnd.nextInt(6)));
    st.put("borderRadius", 4 * rnd.nextInt(5));
    st.put("fullBleed", rnd.nextInt(4) == 0);
    ObjectNode anim = st.putObject("animation");
    anim.put("type", ANIMATIONS[rnd.nextInt(ANIMATIONS.length)]);
    anim.put("duration", 200 + 50 * rnd.nextInt(10));
    anim.put("delay", 50 * rnd.nextInt(5));
    anim.put("easing", "ease-out");
    if (rnd.nextInt(5) == 0) {
      ArrayNode hidden = st.putArray("hiddenOn");
      hidden.add(rnd.nextBoolean() ? "mobile" : "tablet");
    }
    if (rnd.nextInt(6) == 0) st.put("customClass", "section--" + word());
    return st;
  }

  private ObjectNode cta() {
    ObjectNode c = F.objectNode();
    c.put("label", title(2 + rnd.nextInt(3)));
    c.put(
        "href",
        rnd.nextInt(3) == 0 ? "https://app.acme.example.com/signup" : "/" + slugify(words(2)));
    c.put("variant", VARIANTS[rnd.nextInt(VARIANTS.length)]);
    c.put("openInNewTab", rnd.nextInt(5) == 0);
    if (rnd.nextBoolean()) {
      ObjectNode t = c.putObject("tracking");
      t.put("event", "cta_click");
      t.put("label", slugify(words(2)));
    }
    return c;
  }

  private ObjectNode link() {
    ObjectNode l = F.objectNode();
    l.put("label", title(1 + rnd.nextInt(2)));
    l.put("href", "/" + slugify(words(1 + rnd.nextInt(2))));
    if (rnd.nextInt(5) == 0) l.put("badge", "New");
    return l;
  }

  private ObjectNode image(String kind) {
    ObjectNode i = F.objectNode();
    i.put("src", "https://cdn.acme.example.com/" + kind + "/" + hex(16) + ".webp");
    i.put("alt", sentence(4 + rnd.nextInt(6)));
    i.put("width", 320 * (1 + rnd.nextInt(6)));
    i.put("height", 180 * (1 + rnd.nextInt(6)));
    if (rnd.nextBoolean()) {
      ObjectNode fp = i.putObject("focalPoint");
      fp.put("x", rnd.nextInt(101) / 100.0);
      fp.put("y", rnd.nextInt(101) / 100.0);
    }
    i.put("loading", rnd.nextInt(3) == 0 ? "eager" : "lazy");
    return i;
  }

  private ArrayNode keywords(int n) {
    ArrayNode a = F.arrayNode();
    for (int i = 0; i < n; i++) a.add(word() + (rnd.nextBoolean() ? " " + word() : ""));
    return a;
  }

  private static ArrayNode strings(String... s) {
    ArrayNode a = F.arrayNode();
    for (String x : s) a.add(x);
    return a;
  }

  private String uniqueId(String prefix) {
    String id;
    do {
      id = prefix + "_" + hex(10);
    } while (!ids.add(id));
    return id;
  }

  private String word() {
    return WORDS[rnd.nextInt(WORDS.length)];
  }

  private String words(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(i > 0 ? " " : "").append(word());
    return b.toString();
  }

  private String title(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(i > 0 ? " " : "").append(cap(word()));
    return b.toString();
  }

  private String sentence(int n) {
    return cap(words(n)) + ".";
  }

  private String paragraph(int sentences) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sentences; i++)
      b.append(i > 0 ? " " : "").append(sentence(8 + rnd.nextInt(14)));
    return b.toString();
  }

  private String color() {
    return String.format("#%06x", rnd.nextInt(0x1000000));
  }

  private String hex(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append(Character.forDigit(rnd.nextInt(16), 16));
    return b.toString();
  }

  private String timestamp() {
    return String.format(
        "2025-%02d-%02dT%02d:%02d:%02dZ",
        1 + rnd.nextInt(12),
        1 + rnd.nextInt(28),
        rnd.nextInt(24),
        rnd.nextInt(60),
        rnd.nextInt(60));
  }

  private static String cap(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String slugify(String s) {
    return s.toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  private static int size(JsonNode n) {
    return Json.compact(n).length(); // all generated text is ASCII
  }

  // ---------------------------------------------------------------- scenarios

  /** Document b of {@code scenario}: a deep copy of {@code a} with the scenario's edits. */
  public static ObjectNode mutate(ObjectNode a, Scenario scenario) {
    ObjectNode b = a.deepCopy();
    LandingPageGenerator g = new LandingPageGenerator(0xBEEF + scenario.ordinal());
    collectIds(b, g.ids);
    switch (scenario) {
      case ONE_FIELD:
        {
          List<Leaf> leaves = leaves(b);
          g.edit(leaves.get(g.rnd.nextInt(leaves.size())));
          break;
        }
      case ONE_PERCENT:
        {
          List<Leaf> leaves = leaves(b);
          int k = Math.max(1, Math.round(leaves.size() / 100f));
          for (int i = 0; i < k; i++) { // partial Fisher-Yates: k distinct leaves
            int j = i + g.rnd.nextInt(leaves.size() - i);
            Leaf t = leaves.get(j);
            leaves.set(j, leaves.get(i));
            leaves.set(i, t);
            g.edit(t);
          }
          break;
        }
      case FRONT_INSERT:
        largestSections(b).insert(0, g.section("cards"));
        break;
      case MOVE:
        {
          ArrayNode s = largestSections(b);
          s.insert(0, s.remove(s.size() - 1));
          break;
        }
      case DELETE_10PCT:
        {
          // every array element in the document is equally likely to go: 10 % of all of them,
          // except the page holding the large sections array: losing it would delete half the
          // document and leave the large array (the one the other scenarios edit) out of the test
          List<ArrayNode> owners = new ArrayList<>();
          List<Integer> indices = new ArrayList<>();
          collectElements(b, owners, indices);
          ArrayNode big = largestSections(b);
          for (int i = owners.size() - 1; i >= 0; i--) {
            if (owners.get(i).get(indices.get(i)).get("sections") == big) {
              owners.remove(i);
              indices.remove(i);
            }
          }
          int k = Math.round(owners.size() / 10f);
          int[] order = new int[owners.size()];
          for (int i = 0; i < order.length; i++) order[i] = i;
          Map<ArrayNode, List<Integer>> doomed = new IdentityHashMap<>();
          for (int i = 0; i < k; i++) {
            int j = i + g.rnd.nextInt(order.length - i);
            int t = order[j];
            order[j] = order[i];
            order[i] = t;
            doomed.computeIfAbsent(owners.get(t), x -> new ArrayList<>()).add(indices.get(t));
          }
          for (Map.Entry<ArrayNode, List<Integer>> e : doomed.entrySet()) {
            List<Integer> idx = e.getValue();
            idx.sort(null);
            for (int i = idx.size() - 1; i >= 0; i--) e.getKey().remove((int) idx.get(i));
          }
          break;
        }
      default:
        throw new AssertionError(scenario);
    }
    return b;
  }

  /** The sections array with the most elements (the "/resources" page from 1 MB up). */
  public static ArrayNode largestSections(JsonNode doc) {
    ArrayNode best = null;
    for (JsonNode p : doc.get("pages")) {
      ArrayNode s = (ArrayNode) p.get("sections");
      if (best == null || s.size() > best.size()) best = s;
    }
    return best;
  }

  /** A leaf value and where it sits (object member or array element). */
  record Leaf(JsonNode parent, String field, int index, JsonNode value) {}

  /** All scalar leaves except identity members ({@code id}), which an edit would not touch. */
  static List<Leaf> leaves(JsonNode root) {
    List<Leaf> out = new ArrayList<>();
    collectLeaves(root, out);
    return out;
  }

  private static void collectLeaves(JsonNode n, List<Leaf> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (v.isContainerNode()) collectLeaves(v, out);
        else if (!e.getKey().equals("id")) out.add(new Leaf(n, e.getKey(), -1, v));
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        JsonNode v = n.get(i);
        if (v.isContainerNode()) collectLeaves(v, out);
        else out.add(new Leaf(n, null, i, v));
      }
    }
  }

  private static void collectElements(JsonNode n, List<ArrayNode> owners, List<Integer> indices) {
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        owners.add((ArrayNode) n);
        indices.add(i);
      }
    }
    for (JsonNode c : n) if (c.isContainerNode()) collectElements(c, owners, indices);
  }

  private static void collectIds(JsonNode n, Set<String> ids) {
    if (n.isObject() && n.has("id")) ids.add(n.get("id").asText());
    for (JsonNode c : n) if (c.isContainerNode()) collectIds(c, ids);
  }

  /** A realistic edit of one leaf: a word swapped, a number nudged, a flag flipped. */
  private void edit(Leaf leaf) {
    JsonNode v = leaf.value();
    JsonNode nv;
    if (v.isTextual()) {
      String s = v.asText();
      String[] parts = s.split(" ");
      if (parts.length > 1) {
        int i = rnd.nextInt(parts.length);
        String w;
        do {
          w = word();
        } while (w.equalsIgnoreCase(parts[i]));
        parts[i] = i == 0 ? cap(w) : w;
        nv = F.textNode(String.join(" ", parts));
      } else {
        nv = F.textNode(s + "-2");
      }
    } else if (v.isBoolean()) {
      nv = F.booleanNode(!v.asBoolean());
    } else if (v.isIntegralNumber()) {
      nv = F.numberNode(v.asLong() + 1 + rnd.nextInt(9));
    } else if (v.isNumber()) {
      nv = F.numberNode(Math.round(v.asDouble() * 100 + 1 + rnd.nextInt(9)) / 100.0);
    } else {
      nv = F.textNode("x");
    }
    if (leaf.field() != null) ((ObjectNode) leaf.parent()).set(leaf.field(), nv);
    else ((ArrayNode) leaf.parent()).set(leaf.index(), nv);
  }

  // ---------------------------------------------------------------- files

  /** Where the benchmark inputs of one size live: a.json and one file per scenario. */
  public static Path pairDir(Path root, Size size) {
    return root.resolve(size.label);
  }

  public static Path aFile(Path root, Size size) {
    return pairDir(root, size).resolve("a.json");
  }

  public static Path bFile(Path root, Size size, Scenario scenario) {
    return pairDir(root, size).resolve(scenario.label + ".json");
  }

  /** A library's patch for a pair, saved by {@link PatchReport}. */
  public static Path patchFile(Path root, Size size, Scenario scenario, String library) {
    return pairDir(root, size).resolve(scenario.label + "." + library + ".json");
  }

  /** Writes the pairs; {@code --out DIR [--sizes 50KB,1MB,10MB]}. */
  public static void main(String[] args) throws IOException {
    Path out = null;
    List<Size> sizes = List.of(Size.values());
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out")) out = Path.of(args[++i]);
      else if (args[i].equals("--sizes")) {
        List<Size> s = new ArrayList<>();
        for (String l : args[++i].split(",")) s.add(Size.of(l.trim()));
        sizes = s;
      } else throw new IllegalArgumentException("unknown argument " + args[i]);
    }
    if (out == null) throw new IllegalArgumentException("usage: --out DIR [--sizes 50KB,1MB,10MB]");
    StringBuilder manifest = new StringBuilder();
    for (Size size : sizes) {
      long t0 = System.nanoTime();
      ObjectNode a = generate(size);
      Files.createDirectories(pairDir(out, size));
      byte[] aBytes = Json.compact(a).getBytes(StandardCharsets.UTF_8);
      Files.write(aFile(out, size), aBytes);
      int leaves = leaves(a).size();
      ArrayNode big = largestSections(a);
      System.err.printf(
          Locale.ROOT,
          "%-5s a.json %,d bytes, %d pages, largest sections array %d, %,d leaves (%d ms)%n",
          size.label,
          aBytes.length,
          a.get("pages").size(),
          big.size(),
          leaves,
          (System.nanoTime() - t0) / 1_000_000);
      manifest
          .append(size.label)
          .append('\t')
          .append(aBytes.length)
          .append('\t')
          .append(a.get("pages").size())
          .append('\t')
          .append(big.size())
          .append('\t')
          .append(leaves)
          .append('\n');
      for (Scenario sc : Scenario.values()) {
        ObjectNode b = mutate(a, sc);
        Files.write(bFile(out, size, sc), Json.compact(b).getBytes(StandardCharsets.UTF_8));
      }
    }
    Files.writeString(out.resolve("manifest.tsv"), manifest.toString());
  }
}
