-- over: keeps every event the rule can match
     (coalesce(lower(eventname) LIKE 'deactivate%' ESCAPE '\', FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE))
  OR (coalesce(lower(json_extract_scalar(requestparameters, '$["userName"]')) LIKE '%.garcia' ESCAPE '\', FALSE) OR ((coalesce(NOT starts_with(json_format(json_extract(requestparameters, '$["userName"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$')) IS NOT NULL, FALSE)) OR coalesce(length(to_utf8(json_extract_scalar(requestparameters, '$["userName"]'))) <> length(json_extract_scalar(requestparameters, '$["userName"]')), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(lower(eventname) LIKE 'deactivate%' ESCAPE '\', FALSE) AND (NOT coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)))
