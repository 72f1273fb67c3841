-- over: keeps every event the rule can match
     coalesce(lower(eventname) = 'createuser', FALSE)
  OR (NOT (coalesce(lower(json_extract_string(requestparameters, '$."a"."b"')) = 'x', FALSE) AND (NOT (coalesce(json_type(requestparameters, '$."a"."b"') <> 'VARCHAR', FALSE) OR coalesce(json_type(requestparameters, '$') = 'ARRAY', FALSE) OR coalesce(json_type(requestparameters, '$."a"') = 'ARRAY', FALSE) OR coalesce(strpos(requestparameters, '"a.b"') > 0, FALSE)))))
-- under: keeps only events the rule surely matches (printed under NOT)
     coalesce(lower(eventname) = 'createuser', FALSE)
  OR (NOT (coalesce(lower(json_extract_string(requestparameters, '$."a"."b"')) = 'x', FALSE) OR (coalesce(json_type(requestparameters, '$."a"."b"') <> 'VARCHAR', FALSE) OR coalesce(json_type(requestparameters, '$') = 'ARRAY', FALSE) OR coalesce(json_type(requestparameters, '$."a"') = 'ARRAY', FALSE) OR coalesce(strpos(requestparameters, '"a.b"') > 0, FALSE))))
