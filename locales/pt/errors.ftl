# Ward: mensagens de erro (português).
# needs-review: tradução a rever por um falante nativo de português.

title-not-found = Página não encontrada
title-unavailable = Serviço indisponível
title-problem = Há um problema
title-error = Lamentamos, o serviço tem um problema

error-not-open = As denúncias ainda não estão abertas: a configuração não está concluída.
error-already-set-up = A configuração já está concluída.
error-invalid-setup-link = Esta ligação de configuração não é válida: já foi usada, expirou ou nunca existiu.
error-wrong-credentials = Endereço de e-mail ou palavra-passe incorretos.
error-forbidden = Não tem permissão para fazer isto.
error-not-found = A página ou o elemento pedido não existe.
error-conflict = Isto já existe.
error-invalid = Algumas respostas têm de ser corrigidas.
error-bad-request = Não foi possível compreender o pedido.
error-too-large = O pedido é demasiado grande.
error-internal = Ocorreu um problema do nosso lado. Tente novamente dentro de alguns minutos.

invalid-email = Introduza um endereço de e-mail no formato correto, como nome@exemplo.org
invalid-password-short = A palavra-passe tem de ter pelo menos 12 caracteres
invalid-password-long = A palavra-passe pode ter no máximo 1024 bytes
invalid-password-mismatch = As palavras-passe não coincidem
invalid-role = A função tem de ser admin, supervisor ou analyst
invalid-country = Introduza um código de país ISO 3166 de duas letras, como LU
invalid-organisation = Introduza o nome da organização (no máximo 200 caracteres)
invalid-totp-secret = A chave de autenticação falta ou está incorreta: recarregue a página
invalid-totp-code = Introduza o código de 6 dígitos que a sua aplicação de autenticação mostra agora
invalid-category = Escolha o que aconteceu
invalid-language = Escolha um dos idiomas do site
invalid-answers-count = Uma denúncia pode ter no máximo 200 respostas
invalid-answer-id = Os identificadores das perguntas têm de ter entre 1 e 100 caracteres
invalid-answer-value = Cada resposta tem de ser um texto (no máximo 20 000 caracteres), um número, sim ou não, ou uma lista de textos
invalid-contact = Os dados de contacto têm de ser um objeto
invalid-report = A denúncia não é válida

invalid-unknown-question = Foi dada uma resposta a uma pergunta que este formulário não faz
invalid-required = Responda a esta pergunta
invalid-answer-type = Esta resposta não tem o formato correto
invalid-answer-too-long = Esta resposta é demasiado longa
invalid-date = Introduza uma data real, como 2026-08-14
invalid-number = Introduza um número inteiro, como 2
invalid-option = Escolha uma das opções apresentadas
invalid-urls-count = Indique no máximo 50 ligações
invalid-url = Introduza apenas endereços web, um por linha, como https://exemplo.org/pagina
invalid-phone = Introduza um número de telefone, como +352 621 123 456
invalid-contact-choice = Indique se o podemos contactar
invalid-contact-missing = Introduza um endereço de e-mail ou um número de telefone, ou escolha manter o anonimato
invalid-file-too-large = Um ficheiro é maior do que o tamanho máximo indicado na página
invalid-too-many-files = Foram juntos mais ficheiros do que o máximo indicado na página
invalid-file-type = Este tipo de ficheiro não pode ser junto: use uma fotografia (JPEG, PNG ou WebP), um PDF ou um ficheiro de texto
invalid-file-damaged = Este ficheiro está danificado e não pode ser lido
invalid-file-protected = Este PDF está protegido por uma palavra-passe, por isso o Ward não consegue remover os dados ocultos que possa conter sobre si. Guarde-o ou imprima-o novamente como PDF sem palavra-passe, ou descreva o seu conteúdo por palavras suas
error-rate-limited = Demasiadas tentativas a partir da sua ligação. Aguarde alguns minutos e tente novamente.
invalid-receipt = Nenhuma denúncia tem este código. Verifique os 20 algarismos e tente novamente
invalid-message-empty = Escreva uma mensagem ou junte um ficheiro
error-locked = Demasiadas tentativas falhadas: esta conta está bloqueada durante 15 minutos.
error-sign-in = O endereço de e-mail, a palavra-passe ou o código de autenticação estão incorretos.
error-no-access = Ainda não pode ler o conteúdo das denúncias: um administrador tem de lhe dar acesso.
error-invalid-link = Esta ligação não é válida: já foi usada, expirou ou nunca existiu. Peça uma nova a um administrador.
invalid-closing-reason = Escolha porque é que o processo é encerrado
invalid-reference = Introduza a referência de outra denúncia desta linha, por exemplo 3F2A-91C2-0B7D
invalid-label = Uma etiqueta tem de 1 a 40 caracteres
invalid-nothing-selected = Selecione pelo menos uma denúncia
invalid-too-many-selected = Selecione no máximo 100 denúncias de cada vez
invalid-email-taken = Já existe um membro com este endereço de e-mail
invalid-self = Não pode fazer isto à sua própria conta
