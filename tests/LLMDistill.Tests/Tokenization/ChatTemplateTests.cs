using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Tokenization;

/// <summary>
/// Rendered strings written out from the published templates (SmolLM2, Qwen2.5, Llama 3 and 3.1 tokenizer_config.json),
/// i.e. what Hugging Face's apply_chat_template returns for them.
/// </summary>
public sealed class ChatTemplateTests
{
    // Verbatim chat_template of HuggingFaceTB/SmolLM2-*-Instruct.
    internal const string SmolLm2Jinja = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    // The non-tool branch of Qwen2.5-*-Instruct's chat_template (the tool branch comes first in the real file).
    internal const string Qwen25Jinja = "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == 'system' %}\n        {{- messages[0]['content'] }}\n    {%- else %}\n        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n    {%- endif %}\n{%- else %}\n    {%- if messages[0]['role'] == 'system' %}\n        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or (message.role == \"assistant\" and not message.tool_calls) %}\n        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n{%- endif %}\n";

    // A ChatML template without a default system turn.
    internal const string PlainChatMlJinja = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    // Verbatim chat_template of Meta-Llama-3-8B-Instruct.
    internal const string Llama3Jinja = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    // The system-block part of Llama-3.1-8B-Instruct's chat_template.
    internal const string Llama31Jinja = "{{- bos_token }}\n{%- if not date_string is defined %}\n    {%- set date_string = \"26 Jul 2024\" %}\n{%- endif %}\n{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{{- \"Cutting Knowledge Date: December 2023\\n\" }}\n{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n{{- system_message }}\n{{- \"<|eot_id|>\" }}\n";

    private static readonly ChatTurn[] UserOnly = [new("user", "What is the capital of France?")];
    private static readonly ChatTurn[] SystemUserAssistant = [new("system", "You are terse."), new("user", " Hi! "), new("assistant", "Hello.")];

    [Fact]
    public void ChatML_SmolLm2DefaultSystem_MatchesApplyChatTemplate()
    {
        var template = Detect(SmolLm2Jinja);
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
            template.Render(UserOnly, addGenerationPrompt: true));
    }

    [Fact]
    public void ChatML_Qwen25DefaultSystem_MatchesApplyChatTemplate()
    {
        var template = Assert.IsType<ChatMLTemplate>(Detect(Qwen25Jinja));
        Assert.Equal("You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", template.DefaultSystemPrompt);
        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n",
            template.Render(UserOnly, addGenerationPrompt: false));
    }

    [Fact]
    public void ChatML_ExplicitSystem_ReplacesDefaultAndKeepsContentUntrimmed()
    {
        Assert.Equal(
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\n Hi! <|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n",
            Detect(Qwen25Jinja).Render(SystemUserAssistant, addGenerationPrompt: false));
    }

    [Fact]
    public void ChatML_TemplateWithoutDefault_WritesNoSystemTurn()
    {
        var template = Assert.IsType<ChatMLTemplate>(Detect(PlainChatMlJinja));
        Assert.Null(template.DefaultSystemPrompt);
        Assert.Equal("<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n", template.Render(UserOnly, true));
        Assert.Equal("<|im_end|>", template.EndOfTurn);
    }

    [Fact]
    public void Llama3_TrimsContentAndPrependsBos()
    {
        var template = Detect(Llama3Jinja);
        Assert.Equal("llama3", template.Name);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(SystemUserAssistant, addGenerationPrompt: true));
        Assert.Equal("<|eot_id|>", template.EndOfTurn);
    }

    [Fact]
    public void Llama31_WritesKnowledgeDatePreamble()
    {
        var template = Assert.IsType<Llama3ChatTemplate>(Detect(Llama31Jinja));
        Assert.True(template.KnowledgeDatePreamble);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(UserOnly, addGenerationPrompt: true));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are terse.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>",
            template.Render(SystemUserAssistant, addGenerationPrompt: false));
    }

    [Fact]
    public void Plain_RendersInstructionResponseBlocks()
    {
        var template = new PlainChatTemplate("<|eos|>");
        Assert.Equal(
            "You are terse.\n\n### Instruction:\n Hi! \n\n### Response:\nHello.<|eos|>\n\n### Response:\n",
            template.Render(SystemUserAssistant, addGenerationPrompt: true));
        Assert.Throws<ArgumentException>(() => template.Render([new("tool", "x")], false));
    }

    [Fact]
    public void Detect_NoTemplate_IsPlainWithEos_UnknownFamily_IsReported()
    {
        Assert.Equal("plain", ChatTemplateDetector.Resolve(ChatTemplateKind.Auto, null, null, "</s>", out _)!.Name);
        Assert.Null(ChatTemplateDetector.Resolve(ChatTemplateKind.Auto, "{{ '[INST] ' + message['content'] + ' [/INST]' }}", null, null, out var error));
        Assert.Contains("chatml, llama3 or plain", error);
        Assert.Equal("chatml", ChatTemplateDetector.Resolve(ChatTemplateKind.ChatML, "{{ '[INST]' }}", null, null, out _)!.Name);
    }

    [Fact]
    public void Render_EmptyRoleOrNullContent_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ChatMLTemplate().Render([new("", "x")], false));
        Assert.Throws<ArgumentException>(() => new Llama3ChatTemplate().Render([new("user", null!)], false));
    }

    private static ChatTemplate Detect(string jinja)
        => ChatTemplateDetector.Resolve(ChatTemplateKind.Auto, jinja, "<|begin_of_text|>", "<|eot_id|>", out var error) ?? throw new InvalidOperationException(error);
}
