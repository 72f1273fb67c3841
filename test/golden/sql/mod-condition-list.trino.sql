-- over: keeps every event the rule can match
     coalesce(lower(eventname) = 'createuser', FALSE)
  OR (NOT (coalesce(lower(json_extract_scalar(requestparameters, '$["a"]["b"]')) = 'x', FALSE) AND (NOT (coalesce(NOT starts_with(json_format(json_extract(requestparameters, '$["a"]["b"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$')) IS NOT NULL, FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$["a"]')) IS NOT NULL, FALSE) OR coalesce(strpos(requestparameters, '"a.b"') > 0, FALSE)))))
-- under: keeps only events the rule surely matches (printed under NOT)
     coalesce(lower(eventname) = 'createuser', FALSE)
  OR (NOT (coalesce(lower(json_extract_scalar(requestparameters, '$["a"]["b"]')) = 'x', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(requestparameters, '$["a"]["b"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$')) IS NOT NULL, FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$["a"]')) IS NOT NULL, FALSE) OR coalesce(strpos(requestparameters, '"a.b"') > 0, FALSE))))
