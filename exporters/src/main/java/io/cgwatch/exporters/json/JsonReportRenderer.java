package io.cgwatch.exporters.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cgwatch.model.Analysis;
import java.io.IOException;
import java.io.Writer;

/**
 * Renders a snapshot as the stable JSON of {@link JsonReport}: snake_case names, fields in declaration order,
 * map keys sorted, two-space indentation, {@code null} for what the kernel did not provide. Renders only.
 */
public final class JsonReportRenderer {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
      .build();

  private JsonReportRenderer() {}

  public static void render(Analysis analysis, Writer out) throws IOException {
    render(JsonReportMapper.toDocument(analysis), out);
  }

  public static void render(JsonReport.Document document, Writer out) throws IOException {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    MAPPER.writer(printer).writeValue(out, document);
    out.write('\n');
  }
}
