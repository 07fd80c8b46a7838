package io.keikomon.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import io.keikomon.core.OperationFailedException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The FreeMarker set-up every template is rendered with: the user's {@code templates/} folder first,
 * then the built-in templates. Template errors become {@link OperationFailedException}s that name the
 * template, the line and the problem.
 */
final class TemplateEngine {
  private final Configuration freemarker;
  private final Path overrides;

  /** {@code overrides} may be null or missing: then only the built-in templates are used. */
  TemplateEngine(Path overrides) {
    this.overrides = overrides != null && Files.isDirectory(overrides) ? overrides : null;
    this.freemarker = configuration(loader(this.overrides));
  }

  private static TemplateLoader loader(Path overrides) {
    ClassTemplateLoader builtIn = new ClassTemplateLoader(TemplateEngine.class, "/templates");
    if (overrides == null) {
      return builtIn;
    }
    return new MultiTemplateLoader(new TemplateLoader[] {new PathTemplateLoader(overrides), builtIn});
  }

  private static Configuration configuration(TemplateLoader loader) {
    Configuration c = new Configuration(Configuration.VERSION_2_3_34);
    c.setTemplateLoader(loader);
    c.setDefaultEncoding("UTF-8");
    c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    c.setLogTemplateExceptions(false);
    c.setWrapUncheckedExceptions(true);
    c.setFallbackOnNullLoopVariable(false);
    // Output is configuration, not prose: no "16,686", no locale-specific lookups or formats.
    c.setNumberFormat("computer");
    c.setBooleanFormat("c");
    c.setLocalizedLookup(false);
    // User templates are data: they may not instantiate Java classes.
    c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    c.setAPIBuiltinEnabled(false);
    c.setSharedVariable("q", new YamlScalar());
    return c;
  }

  /** Renders template {@code name} with {@code model}. */
  String render(String name, Map<String, Object> model) {
    try {
      Template template = freemarker.getTemplate(name);
      StringWriter out = new StringWriter(4096);
      template.process(model, out);
      return out.toString();
    } catch (TemplateNotFoundException e) {
      throw new OperationFailedException("template " + name + " not found",
          "keiko-mon ships every template it uses; check the name of your override in templates/", e);
    } catch (ParseException e) {
      throw failure(e.getTemplateName(), e.getLineNumber(), e.getEditorMessage(), e);
    } catch (TemplateException e) {
      String where = e.getTemplateSourceName() != null ? e.getTemplateSourceName() : name;
      int line = e.getLineNumber() == null ? 0 : e.getLineNumber();
      throw failure(where, line, e.getMessageWithoutStackTop().strip(), e);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read template " + name + ": " + e.getMessage(), null, e);
    }
  }

  private OperationFailedException failure(String template, int line, String problem, Exception cause) {
    boolean overridden = overrides != null && Files.isRegularFile(overrides.resolve(template));
    String file = overridden ? overrides.resolve(template).toString() : template + " (built in)";
    String hint = overridden
        ? "fix your override, or delete it to use the built-in template again"
        : "this built-in template failed on your keiko.yml; please report it with keiko.yml attached";
    return new OperationFailedException(
        "template " + file + (line > 0 ? ":" + line : "") + ": " + firstLines(problem), hint, cause);
  }

  /** FreeMarker messages can run to dozens of lines of tips; the first few say what is wrong. */
  private static String firstLines(String message) {
    String[] lines = message.split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, 4); i++) {
      String l = lines[i].strip();
      if (l.isEmpty() || l.startsWith("----") || l.startsWith("Tip:")) {
        break;
      }
      b.append(b.length() == 0 ? "" : " ").append(l);
    }
    return b.toString();
  }
}
