package io.restock.infra;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.stream.Collectors;

/** The JSON mapper the service uses, strict about types, and request bodies read through it. */
public final class Json {
  private Json() {}

  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        // "5" is not a number and 1.5 is not a quantity: refuse instead of guessing.
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /** The body as {@code type}, or a 400 that says what is wrong with it. */
  public static <T> T body(Context ctx, ObjectMapper mapper, Class<T> type) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw ApiError.badRequest("A JSON body is required");
    }
    return parse(mapper, body, type);
  }

  /** Like {@link #body}, but an empty body gives {@code whenEmpty}. */
  public static <T> T optionalBody(Context ctx, ObjectMapper mapper, Class<T> type, T whenEmpty) {
    String body = ctx.body();
    return body.isBlank() ? whenEmpty : parse(mapper, body, type);
  }

  private static <T> T parse(ObjectMapper mapper, String body, Class<T> type) {
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw ApiError.badRequest("The body must be a JSON object");
      }
      return value;
    } catch (InputCoercionException e) {
      throw ApiError.badRequest("A number is out of range: " + e.getOriginalMessage());
    } catch (JsonParseException e) {
      throw new ApiError(400, "MALFORMED_JSON", "The body is not valid JSON: " + e.getOriginalMessage());
    } catch (JsonMappingException e) {
      // Well-formed JSON of the wrong shape: a type mismatch, a number out of range.
      String field = e.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      throw ApiError.badRequest(field.isEmpty()
          ? "The body must be a JSON object"
          : "Field '" + field + "' has the wrong type or is out of range");
    } catch (JacksonException e) {
      throw new ApiError(400, "MALFORMED_JSON", "The body could not be read: " + e.getOriginalMessage());
    }
  }
}
