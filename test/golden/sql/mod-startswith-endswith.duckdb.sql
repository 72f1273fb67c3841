-- over: keeps every event the rule can match
     coalesce(lower(eventname) LIKE 'deactivate%' ESCAPE '\', FALSE)
  OR (coalesce(lower(json_extract_string(requestparameters, '$."userName"')) LIKE '%.garcia' ESCAPE '\', FALSE) OR (coalesce(json_type(requestparameters, '$."userName"') <> 'VARCHAR', FALSE) OR coalesce(json_type(requestparameters, '$') = 'ARRAY', FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
     coalesce(lower(eventname) LIKE 'deactivate%' ESCAPE '\', FALSE)
  OR (coalesce(lower(json_extract_string(requestparameters, '$."userName"')) LIKE '%.garcia' ESCAPE '\', FALSE) AND (NOT (coalesce(json_type(requestparameters, '$."userName"') <> 'VARCHAR', FALSE) OR coalesce(json_type(requestparameters, '$') = 'ARRAY', FALSE))))
